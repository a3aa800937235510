"""
隐藏层把 XOR 变成线性可分
==========================

多层感知机为什么能解决 XOR？把隐藏层的输出 :math:`h` 当作新的坐标画出来就明白了：在 :math:`h` 空间里，两类点可以被一条直线分开，而输出层恰好就是这条直线上的一个感知器。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import make_xor
from dlnotes.layers import Sequential, Tanh, mlp
from dlnotes.losses import BCEWithLogitsLoss
from dlnotes.optim import SGD
from dlnotes.perceptron import Perceptron
from dlnotes.train import fit

# %%
# 训练一个最小的多层感知机 ``Linear(2, 2)`` – Tanh – ``Linear(2, 1)``\ ：隐藏层只有 2 个神经元，所以隐藏层的输出 :math:`h = \tanh(W_1 x + b_1)` 仍是平面上的点，可以直接画出来。输出层给出一个得分 :math:`s = v^\top h + c`\ ，损失为 ``BCEWithLogitsLoss``\ ，:math:`s > 0` 时预测为类别 1。

rng = np.random.default_rng(0)
X, y = make_xor(200, noise=0.3, rng=rng)
net = mlp([2, 2, 1], Tanh, rng=rng)
history = fit(
    net,
    BCEWithLogitsLoss(),
    SGD(net.parameters(), lr=0.5),
    X,
    y.reshape(-1, 1).astype(float),
    epochs=100,
    batch_size=16,
    rng=rng,
)
hidden = Sequential(net[0], net[1])  # the first two layers: x -> h
H = hidden(X, training=False)
centres = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])  # labels 0, 1, 0, 1
H_centres = hidden(centres, training=False)
W1, b1 = net[0].weight.value, net[0].bias.value
v, c = net[2].weight.value.ravel(), net[2].bias.value.item()
print(f"train accuracy: {history.train_accuracy[-1]:.3f}")
print("hidden images of the cluster centres:\n", H_centres.round(3))
print(f"output line in h space: {v[0]:.2f} h1 {v[1]:+.2f} h2 {c:+.2f} = 0")

# %%
# 作为对照，再手工搭一个使用阶跃激活函数的 2–2–1 网络：每个神经元都是一个感知器 :math:`\mathrm{step}(w^\top x + b)`\ ，直接给定权重。隐藏层 :math:`h_1 = \mathrm{OR}(x_1, x_2)`\ 、\ :math:`h_2 = \mathrm{NAND}(x_1, x_2)`\ ，输出 :math:`y = \mathrm{AND}(h_1, h_2)`\ 。


def unit(w1, w2, b):
    """A threshold unit step(w1 x1 + w2 x2 + b): a Perceptron with given weights."""
    p = Perceptron()
    p.weights_ = np.array([w1, w2, b], dtype=float)
    return p


h1_unit, h2_unit, out_unit = unit(1, 1, -0.5), unit(-1, -1, 1.5), unit(1, 1, -1.5)
X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y4 = np.array([0, 1, 1, 0])
H4 = np.column_stack([h1_unit.predict(X4), h2_unit.predict(X4)])
print("step network: x -> (h1, h2) -> y")
for x, h, out in zip(X4, H4, out_unit.predict(H4), strict=True):
    print(f"  {x.astype(int)} -> {h} -> {out}")

# %%
# 左图：输入空间。两条虚线是隐藏层两个神经元的直线 :math:`w_j^\top x + b_j = 0`\ ，黑色曲线是整个网络的决策边界 :math:`s = 0`\ 。中图：同一批点在隐藏层空间 :math:`(h_1, h_2)` 中的位置，大标记是四个簇中心的像；黑线是输出层的直线 :math:`v^\top h + c = 0`\ ，它把两类完全分开。右图：手工网络的隐藏层空间（标注的是原来的输入 :math:`x`\ ），四个角点只落在三个位置上，:math:`(0,1)` 和 :math:`(1,0)` 都映射到 :math:`(1,1)`\ ，AND 的直线 :math:`h_1 + h_2 = 1.5` 把它与另外两点分开。

fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(10, 3.8), layout="constrained")
styles = {0: {"c": "C0", "marker": "o"}, 1: {"c": "C1", "marker": "^"}}

g = np.linspace(-2.6, 2.6, 261)
g1, g2 = np.meshgrid(g, g)
score = net(np.column_stack([g1.ravel(), g2.ravel()]), training=False).reshape(g1.shape)
ax0.contourf(g1, g2, score > 0, levels=[-0.5, 0.5, 1.5], colors=["#dbe9f6", "#fde3c8"])
ax0.contour(g1, g2, score, levels=[0], colors="k", linewidths=2)
for j, ls in [(0, "--"), (1, ":")]:
    pre = (np.column_stack([g1.ravel(), g2.ravel()]) @ W1[j] + b1[j]).reshape(g1.shape)
    ax0.contour(g1, g2, pre, levels=[0], colors="C2", linewidths=1.8, linestyles=ls)
ax0.plot([], [], "C2--", label="$h_1 = 0$")
ax0.plot([], [], "C2:", label="$h_2 = 0$")
for k in (0, 1):
    ax0.scatter(*X[y == k].T, s=9, **styles[k])
ax0.set_xlabel("$x_1$")
ax0.set_ylabel("$x_2$")
ax0.set_title("input space $x$", fontsize=10)
ax0.legend(loc="lower left", fontsize=8.5, framealpha=0.9)

hh = np.linspace(-1.15, 1.15, 201)
q1, q2 = np.meshgrid(hh, hh)
s_h = net[2](np.column_stack([q1.ravel(), q2.ravel()]), training=False).reshape(q1.shape)
ax1.contourf(q1, q2, s_h > 0, levels=[-0.5, 0.5, 1.5], colors=["#dbe9f6", "#fde3c8"])
ax1.contour(q1, q2, s_h, levels=[0], colors="k", linewidths=2)
for k in (0, 1):
    ax1.scatter(*H[y == k].T, s=9, alpha=0.6, **styles[k], label=f"$y={k}$")
for h, k in zip(H_centres, [0, 1, 0, 1], strict=True):
    ax1.scatter(*h, s=150, edgecolors="k", linewidths=1.2, zorder=3, **styles[k])
ax1.set_xlabel(r"$h_1 = \tanh(\cdot)$")
ax1.set_ylabel(r"$h_2 = \tanh(\cdot)$")
ax1.set_title("trained tanh net: hidden space $h$", fontsize=10)
ax1.legend(loc="center right", fontsize=8.5, framealpha=0.9)

s4 = np.linspace(-0.3, 1.3, 161)
r1, r2 = np.meshgrid(s4, s4)
z_out = out_unit.decision_function(np.column_stack([r1.ravel(), r2.ravel()])).reshape(r1.shape)
ax2.contourf(r1, r2, z_out > 0, levels=[-0.5, 0.5, 1.5], colors=["#dbe9f6", "#fde3c8"])
ax2.contour(r1, r2, z_out, levels=[0], colors="k", linewidths=2)
for h, k in zip(H4, y4, strict=True):
    ax2.scatter(*h, s=150, edgecolors="k", linewidths=1.2, zorder=3, **styles[k])
for h, text, dx in [
    ((0, 1), "x=(0,0)", (-22, -28)),
    ((1, 0), "x=(1,1)", (-62, 12)),
    ((1, 1), "x=(0,1),(1,0)", (-48, -28)),
]:
    ax2.annotate(text, h, xytext=dx, textcoords="offset points", fontsize=9)
ax2.set_xlabel(r"$h_1 = \mathrm{OR}(x_1, x_2)$")
ax2.set_ylabel(r"$h_2 = \mathrm{NAND}(x_1, x_2)$")
ax2.set_title("step net: hidden space, AND line", fontsize=10)

for ax in (ax0, ax1, ax2):
    ax.set_aspect("equal")
plt.show()

# %%
# 训练好的网络里，tanh 把几乎所有点都压到了 :math:`h` 平面的角上，而且两个类别 0 的簇被压到了同一个角 :math:`(-1, 1)` 附近，类别 1 的两个簇分别落在 :math:`(1, 1)` 和 :math:`(-1, -1)` 附近：XOR 的“对角线同类”的排列消失了，一条直线就能分开两类。左图也说明了这一点：网络的决策边界几乎就是隐藏层的两条直线，它们把输入平面切成三条带，中间一条是类别 0。输出层只是 :math:`h` 空间里的一个线性分类器，真正的工作是隐藏层完成的：它学到了一种新的表示，使原来线性不可分的问题变得线性可分。手工网络做的是同一件事，只是用阶跃函数把点“吸”到了 :math:`\{0, 1\}^2` 的角上。
