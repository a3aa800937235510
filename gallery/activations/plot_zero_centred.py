"""
输出不以零为中心：sigmoid 让梯度下降走“之”字形
==============================================

sigmoid 的输出总在 :math:`(0, 1)` 之间，恒为正。若下一层神经元的输入全是正数，它的各个权重的梯度就总是同号，每次更新只能沿“全增”或“全减”的方向走，遇到需要一个权重增大、另一个减小的情形，只能走“之”字形的折线。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import activations as F
from dlnotes.layers import Linear

# %%
# 设定：一个没有偏置的神经元 :math:`y = w_1 a_1 + w_2 a_2`，输入 :math:`a` 是上一层激活函数的输出。取 64 个样本 :math:`u \sim \mathcal N(0, I)`，分别令 :math:`a = \sigma(u)`\ （全为正）和 :math:`a = \tanh(u)`\ （以零为中心），目标值 :math:`t = w^{*\top} a`，其中 :math:`w^* = (2, -2)`。从 :math:`w_0 = (0, 0)` 出发，逐个样本做随机梯度下降（学习率 0.5），损失为平方误差 :math:`L = \tfrac12 (y - t)^2`。
#
# 单个样本的梯度是 :math:`\partial L/\partial w = \delta\, a`，其中 :math:`\delta = y - t` 是一个标量。当 :math:`a_1, a_2 > 0` 时，两个分量与 :math:`\delta` 同号，所以更新量 :math:`-\eta\,\delta\, a` 要么两个分量都为正，要么都为负。

rng = np.random.default_rng(0)
w_star = np.array([2.0, -2.0])
u = rng.normal(size=(64, 2))
inputs = {"sigmoid inputs": F.sigmoid(u), "tanh inputs": F.tanh(u)}
lr, n_steps = 0.5, 150
order = np.concatenate([rng.permutation(len(u)) for _ in range(3)])[:n_steps]


def full_loss(w, a, t):
    """Mean squared-error loss 1/2 (w.a - t)^2 over the data, for w of shape (..., 2)."""
    return 0.5 * np.mean((w @ a.T - t) ** 2, axis=-1)


runs = {}
for name, a in inputs.items():
    t = a @ w_star
    neuron = Linear(2, 1, rng=rng)
    neuron.weight.value[:] = 0.0
    neuron.bias.value[:] = 0.0  # no bias: it stays 0
    path = [neuron.weight.value.ravel().copy()]
    for i in order:
        y = neuron(a[i : i + 1])
        neuron.backward(y - t[i])
        neuron.weight.value -= lr * neuron.weight.grad
        path.append(neuron.weight.value.ravel().copy())
    path = np.array(path)
    runs[name] = (a, t, path, full_loss(path, a, t))

for name, (a, _, path, loss) in runs.items():
    same_sign = np.mean(np.sign(np.diff(path[:, 0])) == np.sign(np.diff(path[:, 1])))
    print(
        f"{name}: mean a = {a.mean(axis=0).round(2)}, steps with same-sign update = {same_sign:.0%}"
    )
    print(
        "    loss after 10 / 25 / 50 / 150 steps:",
        " / ".join(f"{loss[k]:.1e}" for k in (10, 25, 50, 150)),
    )

# %%
# 左边两幅图是 :math:`(w_1, w_2)` 平面上的损失等高线与更新路径；第一幅中浅蓝色的第一、三象限标出了 sigmoid 输入下每一步允许的方向。右图是全部数据上的损失随步数的变化（对数纵轴）。

fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), layout="constrained")
W1, W2 = np.meshgrid(np.linspace(-1, 3, 201), np.linspace(-3, 1, 201))
grid = np.stack([W1, W2], axis=-1)

for ax, (name, (a, t, path, _)), color in zip(axes[:2], runs.items(), ["C0", "C1"], strict=True):
    loss_grid = full_loss(grid, a, t)
    ax.contour(W1, W2, loss_grid, levels=np.geomspace(1e-3, 2, 10), colors="0.7", linewidths=0.8)
    ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.3)
    ax.plot(*path[0], "o", color="k", ms=5)
    ax.plot(*w_star, "*", color="k", ms=12)
    ax.annotate(r"$w_0$", path[0], xytext=(-14, 6), textcoords="offset points", fontsize=11)
    ax.annotate(r"$w^*$", w_star, xytext=(6, -14), textcoords="offset points", fontsize=11)
    ax.set_xlim(-1, 3)
    ax.set_ylim(-3, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$w_1$")
    ax.set_ylabel(r"$w_2$")
    ax.set_title(name)

# quadrants I and III around w0: the only directions a step can take with a > 0
axes[0].fill_between([0, 3], 0, 1, color="C0", alpha=0.12, lw=0)
axes[0].fill_between([-1, 0], -3, 0, color="C0", alpha=0.12, lw=0)
axes[0].text(1.5, 0.5, "(+, +)", ha="center", va="center", fontsize=10)
axes[0].text(-0.5, -2.5, "(−, −)", ha="center", va="center", fontsize=10)

steps = np.arange(n_steps + 1)
for (name, (*_, loss)), color in zip(runs.items(), ["C0", "C1"], strict=True):
    axes[2].plot(steps, loss, color=color, lw=1.8, label=name)
axes[2].set_yscale("log")
axes[2].set_ylim(1e-10, 10)
axes[2].set_xlim(0, n_steps)
axes[2].set_xlabel("step")
axes[2].set_ylabel(r"loss $L(w)$")
axes[2].set_title("loss on all 64 samples")
axes[2].grid(alpha=0.3)
axes[2].legend(loc="upper right")
plt.show()

# %%
# 用 sigmoid 的输出作输入时，每一步都落在第一或第三象限的方向上，而从 :math:`w_0` 指向 :math:`w^*` 的方向在第四象限，于是路径只能一步向右上、一步向左下地“爬楼梯”，150 步后损失仍在 :math:`10^{-3}` 左右。换成以零为中心的 tanh 输出后，:math:`a_1, a_2` 的符号各自可正可负，更新可以朝任意方向，路径几乎径直走向 :math:`w^*`，25 步后损失已降到 :math:`2\times 10^{-4}`。
#
# 等高线的形状说明了同一件事：输入的均值不为零时，:math:`a_1` 与 :math:`a_2` 总是一起为正，损失曲面沿 :math:`(1, -1)` 方向被拉成狭长的山谷；输入以零为中心时，等高线接近圆形。这就是训练时常把数据标准化为零均值、隐藏层更愿意用 tanh 而不是 sigmoid 的原因之一。
#
# 注意，受限的并不是“只能沿坐标轴移动”：每一步的方向就是 :math:`\pm a` 的方向，可以是第一、三象限内的任意方向；被限制的只是各分量必须同号。
