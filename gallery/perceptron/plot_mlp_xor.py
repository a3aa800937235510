"""
多层感知机解决 XOR
==================

在输入层和输出层之间加一个使用 tanh 激活函数的隐藏层，用 ``dlnotes.train.fit`` 以小批量梯度下降训练，网络就能学会带噪声的 XOR 数据：决策边界不再是一条直线，而是弯曲的，两个类别各占一对对角的区域。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.activations import softmax
from dlnotes.data import make_xor
from dlnotes.layers import Tanh, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 训练集和验证集各 200 个点。网络为 ``Linear(2, 8)`` – Tanh – ``Linear(8, 2)``\ ，输出两个类别的得分（logits），损失为交叉熵 ``CrossEntropyLoss``\ ，优化器为 SGD，学习率 0.5，批大小 16，训练 100 轮。

rng = np.random.default_rng(0)
X, y = make_xor(200, noise=0.3, rng=rng)
X_val, y_val = make_xor(200, noise=0.3, rng=rng)

net = mlp([2, 8, 2], Tanh, rng=rng)
history = fit(
    net,
    CrossEntropyLoss(),
    SGD(net.parameters(), lr=0.5),
    X,
    y,
    epochs=100,
    batch_size=16,
    rng=rng,
    validation_data=(X_val, y_val),
)
n_params = sum(p.value.size for p in net.parameters())
print("parameters:", n_params)
for e in (1, 5, 20, 100):
    print(
        f"epoch {e:3d}: train loss {history.train_loss[e - 1]:.3f}, "
        f"train acc {history.train_accuracy[e - 1]:.3f}, val acc {history.val_accuracy[e - 1]:.3f}"
    )

# %%
# 左图：背景颜色是网络给出的类别 1 的概率 :math:`p(y=1\mid x)`\ （softmax 的第二个分量），黑线是 :math:`p = 0.5` 的决策边界，点是训练数据。右图：训练集和验证集上的交叉熵损失，以及训练集的准确率。

x_grid = np.linspace(-2.6, 2.6, 261)
g1, g2 = np.meshgrid(x_grid, x_grid)
grid = np.column_stack([g1.ravel(), g2.ravel()])
p1 = softmax(net(grid, training=False), axis=1)[:, 1].reshape(g1.shape)

fig, (ax0, ax1) = plt.subplots(
    1, 2, figsize=(9.5, 4), layout="constrained", gridspec_kw={"width_ratios": [1, 1.2]}
)
cs = ax0.contourf(g1, g2, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
ax0.contour(g1, g2, p1, levels=[0.5], colors="k", linewidths=2)
ax0.scatter(*X[y == 0].T, s=12, c="C0", edgecolors="k", linewidths=0.3, label="$y=0$")
ax0.scatter(*X[y == 1].T, s=16, c="C1", marker="^", edgecolors="k", linewidths=0.3, label="$y=1$")
fig.colorbar(cs, ax=ax0, label=r"$p(y=1\mid x)$", shrink=0.9)
ax0.set_aspect("equal")
ax0.set_xlabel("$x_1$")
ax0.set_ylabel("$x_2$")
ax0.set_title("MLP 2-8-2 (tanh): decision boundary", fontsize=10)
ax0.legend(loc="upper center", fontsize=8.5, ncols=2, framealpha=0.9)

ax1.plot(history.epoch, history.train_loss, color="C0", lw=2, label="train loss")
ax1.plot(history.epoch, history.val_loss, color="C1", lw=2, ls="--", label="val loss")
ax1.set_xlabel("epoch (log scale)")
ax1.set_ylabel("cross-entropy loss")
ax1.set_ylim(0, None)
ax1.set_xscale("log")
ax1.grid(alpha=0.3)
ax1r = ax1.twinx()
ax1r.plot(history.epoch, history.train_accuracy, color="C2", lw=1.5, label="train accuracy")
ax1r.set_ylabel("accuracy")
ax1r.set_ylim(0.4, 1.02)
lines = ax1.get_lines() + ax1r.get_lines()
ax1.legend(lines, [line.get_label() for line in lines], loc="center right", fontsize=9)
ax1.set_title(f"training: final val accuracy {history.val_accuracy[-1]:.3f}", fontsize=10)
plt.show()

# %%
# 单个感知器在这组数据上每一轮都要错一半左右的点，而只多了一个 8 个神经元的隐藏层，网络在几轮之内就把两类分开了。决策边界由两条弯曲的线组成：隐藏层的每个神经元在输入平面上提供一条直线，tanh 把它们变成平滑的台阶，输出层再把这些台阶组合起来。下一例把隐藏层的输出画出来，看它到底做了什么。
