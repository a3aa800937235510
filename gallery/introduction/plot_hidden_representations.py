"""
隐藏层把数据变成线性可分的
==========================

两个同心圆上的点（内圈一类、外圈一类）在输入平面上无法用一条直线分开。本例训练一个多层感知机 :math:`2 \\to 3 \\to 3 \\to 2 \\to 2`\\ （隐藏层都用 tanh），再看数据在每个隐藏层“眼中”是什么样子：每经过一层，两类点就被搬得更开，到最后一个隐藏层已经可以用一条直线分开。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import make_circles
from dlnotes.layers import Linear, Tanh, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 数据是 400 个带噪声的点，外圈半径为 1（类别 0），内圈半径为 0.5（类别 1）。网络最后一个隐藏层只有 2 个单元，这样它的输出可以直接画在平面上；输出层是一个线性层，给出两个类别的分数（logits）。训练用 ``dlnotes.train.fit``\ ：小批量梯度下降，批大小 20，学习率 0.3，训练 150 轮。

rng = np.random.default_rng(0)
X, y = make_circles(400, factor=0.5, noise=0.08, rng=rng)
net = mlp([2, 3, 3, 2, 2], Tanh, rng=rng)
history = fit(
    net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.3), X, y, epochs=150, batch_size=20, rng=rng
)
print(f"train loss {history.train_loss[-1]:.4f}, train accuracy {history.train_accuracy[-1]:.1%}")

# %%
# 把数据送进训练好的网络，记下输入和每个 tanh 之后的输出 :math:`h_1, h_2, h_3`\ 。为了衡量“线性可分”的程度，在每一种表示上单独训练一个只有一个线性层的分类器（逻辑回归，也叫线性探针），它的训练准确率越高、交叉熵损失越小，这种表示就越接近线性可分，两类之间的间隔也越大。

reps = [X]
out = X
for layer in net:
    out = layer(out, training=False)
    if isinstance(layer, Tanh):
        reps.append(out)


def linear_probe(H):
    """Accuracy and cross-entropy of one linear layer trained on the representation H."""
    r = np.random.default_rng(1)
    probe = Linear(H.shape[1], 2, rng=r)
    opt = SGD(probe.parameters(), lr=0.5)
    h = fit(probe, CrossEntropyLoss(), opt, H, y, epochs=100, batch_size=40, rng=r)
    return h.train_accuracy[-1], h.train_loss[-1]


probes = [linear_probe(H) for H in reps]
for name, H, (acc, loss) in zip(["input x", "h1", "h2", "h3"], reps, probes, strict=True):
    print(f"{name:8s} shape {H.shape!s:9s} linear probe: accuracy {acc:6.1%}, loss {loss:.3f}")

# %%
# 第 1 和第 2 个隐藏层各有 3 个单元，无法直接画在平面上，这里用主成分分析（PCA）把它们投影到方差最大的两个方向上：先把每一列减去均值，再做奇异值分解 :math:`H - \bar H = U S V^\top`\ ，取 :math:`V` 的前两列作为坐标轴。第 3 个隐藏层本来就是二维的，直接画出，并画出输出层的决策边界：两个类别分数相等的直线 :math:`(w_1 - w_0)^\top h_3 + (b_1 - b_0) = 0`\ 。


def pca2(H):
    """The first two principal components of H and the fraction of variance they keep."""
    Hc = H - H.mean(axis=0)
    _, s, vt = np.linalg.svd(Hc, full_matrices=False)
    return Hc @ vt[:2].T, (s[:2] ** 2).sum() / (s**2).sum()


g = np.linspace(-1.6, 1.6, 301)
gx, gy = np.meshgrid(g, g)
grid = np.column_stack([gx.ravel(), gy.ravel()])
logits = net(grid, training=False)
margin = (logits[:, 1] - logits[:, 0]).reshape(gx.shape)


def probe_text(k):
    acc, loss = probes[k]
    return f"linear probe: accuracy {acc:.0%}, loss {loss:.3f}"


fig, axes = plt.subplots(2, 2, figsize=(9, 8), layout="constrained")
colors = np.array(["C0", "C3"])
ax = axes[0, 0]
ax.contourf(gx, gy, margin, levels=[-1e9, 0, 1e9], colors=["#dbe8f5", "#f7dcdc"])
ax.contour(gx, gy, margin, levels=[0], colors="k", linewidths=1.5)
ax.scatter(X[:, 0], X[:, 1], c=colors[y], s=10)
ax.set_title("input space $x$\n" + probe_text(0))
ax.set_xlabel(r"$x_1$")
ax.set_ylabel(r"$x_2$")

for ax, k in [(axes[0, 1], 1), (axes[1, 0], 2)]:
    P, kept = pca2(reps[k])
    ax.scatter(P[:, 0], P[:, 1], c=colors[y], s=10)
    ax.set_title(f"hidden layer {k}: 3 units, first 2 PCs\n" + probe_text(k))
    ax.set_xlabel(f"PC 1 of $h_{k}$ (2 PCs keep {kept:.0%} of variance)")
    ax.set_ylabel(f"PC 2 of $h_{k}$")

ax = axes[1, 1]
H3 = reps[3]
out_layer = net[-1]
w = out_layer.weight.value[1] - out_layer.weight.value[0]
b = out_layer.bias.value[1] - out_layer.bias.value[0]
t = np.linspace(-1.05, 1.05, 2)
ax.plot(t, -(w[0] * t + b) / w[1], "k-", lw=1.5, label="output layer: $z_1 = z_0$")
ax.scatter(H3[y == 0, 0], H3[y == 0, 1], c="C0", s=10, label="outer circle (class 0)")
ax.scatter(H3[y == 1, 0], H3[y == 1, 1], c="C3", s=10, label="inner circle (class 1)")
ax.set_xlim(-1.05, 1.05)
ax.set_ylim(-1.05, 1.05)
ax.set_title("hidden layer 3: 2 units\n" + probe_text(3))
ax.set_xlabel(r"$h_{3,1}$")
ax.set_ylabel(r"$h_{3,2}$")
ax.legend(loc="upper left", fontsize=8.5)
for ax in axes.flat:
    ax.set_aspect("equal", adjustable="box")
    ax.grid(alpha=0.3)
plt.show()

# %%
# 在输入平面上（左上），两类点一个包着一个，任何直线都只能分对一半左右，线性探针的准确率为 50%，损失约为 :math:`\ln 2 \approx 0.693`\ ，和瞎猜一样；网络学到的决策边界（黑线）是一条闭合曲线。第 1 个隐藏层的 3 个单元各自计算了一个新的特征，在这个三维空间里两类点已经可以用一个平面分开（探针准确率 100%），但间隔很小（探针损失 0.064），投影到前两个主成分上，内圈的点仍被外圈包着；到第 2 层，主成分投影上两类已经明显分开（损失 0.007）；到第 3 层，内圈的点被挤到正方形的一角，外圈的点在另一侧，输出层只需要一条直线（损失 0.001）。
#
# 这就是“隐藏层做特征提取”的含义：网络一层一层地变换数据的表示，直到原本线性不可分的问题在最后一个隐藏层的表示中变得线性可分，最后的输出层只做一个线性分类。
