"""
反向传播的一个手算例子
======================

一个 2–2–1 的小网络：2 个输入，2 个 sigmoid 隐藏单元，1 个线性输出，损失为均方误差，只有一个样本。前向传播的每个中间值和反向传播的每个梯度都由 ``dlnotes`` 算出，再写到网络图上，可以与正文的手算逐一对照。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import Linear, Sequential, Sigmoid
from dlnotes.losses import MSELoss

# %%
# 权重取正文中的值：:math:`W_1 = \begin{pmatrix} 0.5 & -0.25 \\ 0.25 & 0.5 \end{pmatrix}`，:math:`b_1 = (0, -0.25)`，:math:`W_2 = (1, 1)`，:math:`b_2 = -0.5`；输入 :math:`x = (1, 2)`，目标 :math:`t = 1`。

net = Sequential(
    Linear(2, 2, rng=np.random.default_rng(0)),
    Sigmoid(),
    Linear(2, 1, rng=np.random.default_rng(0)),
)
net[0].weight.value = np.array([[0.5, -0.25], [0.25, 0.5]])
net[0].bias.value = np.array([0.0, -0.25])
net[2].weight.value = np.array([[1.0, 1.0]])
net[2].bias.value = np.array([-0.5])
x, t = np.array([[1.0, 2.0]]), np.array([[1.0]])

z1 = net[0](x)  # forward, layer by layer, keeping every intermediate value
a1 = net[1](z1)
y = net[2](a1)
loss_fn = MSELoss()
loss = loss_fn(y, t)

dy = loss_fn.backward()  # backward, layer by layer
da1 = net[2].backward(dy)
dz1 = net[1].backward(da1)
dx = net[0].backward(dz1)
W1, W2 = net[0].weight, net[2].weight
print("z1 =", z1.round(4), " a1 =", a1.round(4), " y =", y.round(4), " L =", round(loss, 4))
print("dL/dy =", dy.round(4), " dL/da1 =", da1.round(4), " dL/dz1 =", dz1.round(4))
print("dL/dW2 =", W2.grad.round(4), " dL/db2 =", net[2].bias.grad.round(4))
print("dL/dW1 =", W1.grad.round(4).tolist(), " dL/db1 =", net[0].bias.grad.round(4))

# %%
# 图中每个圆是一个节点。蓝色是前向传播的值（隐藏单元写出 :math:`z` 和 :math:`a = \sigma(z)`），红色是反向传播的梯度；每条连线上方是权重 :math:`w`，下方是 :math:`\partial L/\partial w`。

pos = {"x1": (0, 1.4), "x2": (0, -1.4), "h1": (3, 1.4), "h2": (3, -1.4), "y": (6, 0), "L": (8.2, 0)}
fig, ax = plt.subplots(figsize=(10, 5.4), layout="constrained")


def edge(a, b, w, g, frac):
    """Draw the edge a -> b; write its weight w above and gradient g below, at `frac` of it."""
    (xa, ya), (xb, yb) = pos[a], pos[b]
    ax.annotate(
        "",
        xy=(xb, yb),
        xytext=(xa, ya),
        arrowprops={"arrowstyle": "-|>", "color": "0.55", "lw": 1.2, "shrinkA": 22, "shrinkB": 22},
    )
    xm, ym = xa + frac * (xb - xa), ya + frac * (yb - ya)
    length = np.hypot(xb - xa, yb - ya)
    normal = np.array([-(yb - ya), xb - xa]) / length  # unit normal pointing "up"
    angle = np.degrees(np.arctan2(yb - ya, xb - xa))
    for text, color, d in [(f"w={w:g}", "C0", 0.09), (f"∂L/∂w={g:.4f}", "C3", -0.09)]:
        ax.text(
            xm + d * normal[0],
            ym + d * normal[1],
            text,
            color=color,
            ha="center",
            va="bottom" if d > 0 else "top",
            fontsize=10.5,
            rotation=angle,
            rotation_mode="anchor",
            bbox={"fc": "white", "ec": "none", "pad": 0.5},
        )


for j, h in enumerate(["h1", "h2"]):
    for i, xi in enumerate(["x1", "x2"]):
        edge(xi, h, W1.value[j, i], W1.grad[j, i], 0.62 if i == j else 0.25)
    edge(h, "y", W2.value[0, j], W2.grad[0, j], 0.5)
ax.annotate(
    "",
    xy=pos["L"],
    xytext=pos["y"],
    arrowprops={"arrowstyle": "-|>", "color": "0.55", "lw": 1.2, "shrinkA": 22, "shrinkB": 22},
)


def node(name, label, above, below):
    xn, yn = pos[name]
    ax.add_patch(plt.Circle((xn, yn), 0.32, fc="0.95", ec="k", lw=1.2, zorder=3))
    ax.text(xn, yn, label, ha="center", va="center", fontsize=13, zorder=4)
    ax.text(xn, yn + 0.42, above, color="C0", ha="center", va="bottom", fontsize=11)
    ax.text(xn, yn - 0.42, below, color="C3", ha="center", va="top", fontsize=11)


node("x1", r"$x_1$", f"{x[0, 0]:g}", "")
node("x2", r"$x_2$", f"{x[0, 1]:g}", "")
for j, h in enumerate(["h1", "h2"]):
    node(
        h,
        rf"$h_{j + 1}$",
        f"b={net[0].bias.value[j]:g}\nz={z1[0, j]:.4f}\na={a1[0, j]:.4f}",
        f"∂L/∂a={da1[0, j]:.4f}\nδ=∂L/∂z={dz1[0, j]:.4f}",
    )
node("y", r"$\hat y$", f"b={net[2].bias.value[0]:g}\nŷ={y[0, 0]:.4f}", f"∂L/∂ŷ={dy[0, 0]:.4f}")
node("L", r"$L$", f"t={t[0, 0]:g}\nL={loss:.4f}", "(ŷ−t)²")
ax.text(0, -2.75, "blue: forward values    red: gradients (backward)", fontsize=10.5, color="0.3")
ax.set_xlim(-0.8, 9)
ax.set_ylim(-2.9, 2.75)
ax.set_aspect("equal")
ax.axis("off")
plt.show()

# %%
# 从右往左读就是反向传播：先由 :math:`L = (\hat y - t)^2` 得到 :math:`\partial L/\partial \hat y = 2(\hat y - t)`；输出层的权重梯度是它乘以该连线输入端的激活值 :math:`a_j`；传到隐藏单元的梯度 :math:`\partial L/\partial a_j` 再乘以 :math:`\sigma'(z_j) = a_j(1 - a_j)` 得到 :math:`\delta_j`；第一层的权重梯度是 :math:`\delta_j` 乘以输入 :math:`x_i`。每条连线的梯度都等于“终点的 :math:`\delta`”乘以“起点的值”。
