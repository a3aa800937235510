"""
浅层单元与深层单元各自对什么起反应
==================================

训练一个有 3 个隐藏层的多层感知机，然后在整个输入平面上计算几个隐藏单元的值，画成热图。第 1 层的单元只能把平面沿一条直线分成两半；越往后，单元的“感受区域”越弯曲、越复杂，也越难用一句话说清它在检测什么。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.activations import tanh
from dlnotes.data import make_spirals
from dlnotes.diagnostics import pre_activations
from dlnotes.layers import Tanh, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 数据是两条交错的螺旋线（每类 200 个点），网络为 :math:`2 \to 8 \to 8 \to 8 \to 2`\ ，隐藏层都用 tanh，用小批量梯度下降训练 300 轮。

rng = np.random.default_rng(0)
X, y = make_spirals(400, n_classes=2, noise=0.03, rng=rng)
X = 2 * X  # radius up to 2: the tanh units see inputs of order 1
net = mlp([2, 8, 8, 8, 2], Tanh, rng=rng)
history = fit(
    net, CrossEntropyLoss(), SGD(net.parameters(), lr=0.3), X, y, epochs=300, batch_size=20, rng=rng
)
print(f"train loss {history.train_loss[-1]:.4f}, train accuracy {history.train_accuracy[-1]:.1%}")

# %%
# ``dlnotes.diagnostics.pre_activations`` 返回每个线性层的输出 :math:`z_l = W_l h_{l-1} + b_l`\ ，也就是第 :math:`l` 层各单元在激活函数之前的值；单元的输出是 :math:`h_l = \tanh(z_l)`\ 。把输入平面上 :math:`201 \times 201` 个网格点一次送进网络，就得到每个单元在平面上每一点的响应。
#
# 为了用一个数衡量“单元的响应离简单特征有多远”，对每个单元用最小二乘法拟合 :math:`z \approx a_1 x_1 + a_2 x_2 + c`\ ，计算决定系数 :math:`R^2`\ ：第 1 层的 :math:`z` 本身就是输入的线性函数，:math:`R^2 = 1`\ ；:math:`R^2` 越低，这个单元的预激活值离任何线性函数越远。

g = np.linspace(-2.3, 2.3, 201)
gx, gy = np.meshgrid(g, g)
grid = np.column_stack([gx.ravel(), gy.ravel()])
zs = pre_activations(net, grid)[:3]  # the three hidden layers; the 4th is the output layer
design = np.column_stack([grid, np.ones(len(grid))])


def linear_r2(z):
    """R^2 of the best fit z ~ a1 x1 + a2 x2 + c over the grid."""
    coef, *_ = np.linalg.lstsq(design, z, rcond=None)
    resid = z - design @ coef
    return 1 - resid.var() / z.var()


r2 = np.array([[linear_r2(z[:, j]) for j in range(z.shape[1])] for z in zs])
for layer, row in enumerate(r2, start=1):
    print(f"layer {layer}: R^2 of each unit", np.round(row, 2), f" mean {row.mean():.2f}")

# %%
# 每一行是一层，每一列是该层的一个单元（前 4 个）。颜色是单元的输出 :math:`\tanh(z)`\ ，黑线是 :math:`z = 0` 的等值线，灰色小点是训练数据。

units = [0, 1, 2, 3]
fig, axes = plt.subplots(3, 4, figsize=(9.5, 7.6), sharex=True, sharey=True, layout="constrained")
for layer, z in enumerate(zs, start=1):
    for col, j in enumerate(units):
        ax = axes[layer - 1, col]
        zj = z[:, j].reshape(gx.shape)
        im = ax.pcolormesh(gx, gy, tanh(zj), cmap="RdBu_r", vmin=-1, vmax=1, shading="auto")
        ax.contour(gx, gy, zj, levels=[0], colors="k", linewidths=1.2)
        ax.scatter(X[:, 0], X[:, 1], c=np.where(y == 0, "0.25", "0.6"), s=1.5)
        ax.set_title(f"layer {layer}, unit {j + 1}  ($R^2$ = {r2[layer - 1, j]:.2f})", fontsize=9)
        ax.set_aspect("equal")
        if layer == 3:
            ax.set_xlabel(r"$x_1$")
        if col == 0:
            ax.set_ylabel(r"$x_2$")
fig.colorbar(im, ax=axes, shrink=0.6, label=r"unit output $h = \tanh(z)$")
plt.show()

# %%
# 第 1 行的每个单元都是 :math:`\tanh(w^\top x + b)`\ ：它的等值线是直线，整个平面被分成“是”（红）与“否”（蓝）两半，中间是一条渐变带。这种特征很容易解释：它只问“输入在这条直线的哪一边”。
#
# 第 2 层的单元是第 1 层 8 个半平面特征的加权组合再过一次 tanh，:math:`h_{2,j} = \tanh\bigl(\sum_k W_{2,jk} \tanh(w_{1,k}^\top x + b_{1,k}) + b_{2,j}\bigr)`\ ，等值线开始弯曲，出现折角。第 3 层再组合一次，区域变成沿螺旋线弯曲的条带，:math:`R^2` 也最低。深层单元检测的是更抽象、更接近任务本身（“这是哪条螺旋线”）的特征，但要说清楚它为什么在某个区域响应，就必须把前面所有层的权重都追溯一遍，这就是“层次越深，特征越抽象，人越难理解”的具体含义。
