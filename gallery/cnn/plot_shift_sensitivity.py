"""
平移图像：全连接网络与卷积神经网络
==================================

把测试集中的数字整体平移 1～2 个像素（移出的部分丢掉，空出的部分补 0），比较一个多层感知机和正文中的卷积神经网络的准确率。两个网络都只在未平移的图像上训练。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.augment import translate
from dlnotes.data import digits_split
from dlnotes.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Momentum
from dlnotes.train import evaluate, fit

# %%
# 多层感知机为 64–256–128–10（ReLU），卷积神经网络与正文相同。两者用同样的优化器（动量法，学习率 0.05，动量 0.9）、批大小 32，训练 10 轮，随机种子 0。

X_train, X_test, y_train, y_test = digits_split()
X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
loss_fn = CrossEntropyLoss()


def train(net, rng):
    opt = Momentum(net.parameters(), lr=0.05, momentum=0.9)
    fit(net, loss_fn, opt, X_train, y_train, epochs=10, batch_size=32, rng=rng)
    return net


rng = np.random.default_rng(0)
mlp_net = train(Sequential(Flatten(), mlp([64, 256, 128, 10], ReLU, rng=rng)), rng)
rng = np.random.default_rng(0)
cnn = train(
    Sequential(
        Conv2d(1, 16, 3, padding=1, rng=rng),
        ReLU(),
        Conv2d(16, 32, 3, padding=1, rng=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(32 * 4 * 4, 10, rng=rng),
    ),
    rng,
)


# %%
# 左图：水平平移（正数向右）；右图：竖直平移（正数向下）。纵轴是测试集上的准确率。

shifts = np.arange(-2, 3)
acc = {}
for name, net in [("MLP", mlp_net), ("CNN", cnn)]:
    acc[name, "x"] = [evaluate(net, loss_fn, translate(X_test, 0, s), y_test)[1] for s in shifts]
    acc[name, "y"] = [evaluate(net, loss_fn, translate(X_test, s, 0), y_test)[1] for s in shifts]
for key, values in acc.items():
    print(key, " ".join(f"{v:.1%}" for v in values))

fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained", sharey=True)
for ax, axis, label in [(axes[0], "x", "horizontal"), (axes[1], "y", "vertical")]:
    for name, marker in [("MLP", "s--"), ("CNN", "o-")]:
        ax.plot(shifts, acc[name, axis], marker, lw=2, ms=6, label=name)
    ax.set_xticks(shifts)
    ax.set_xlabel(f"{label} shift (pixels)")
    ax.set_title(f"test digits shifted {label}ly")
    ax.grid(alpha=0.3)
    ax.legend()
axes[0].set_ylabel("test accuracy")
axes[0].set_ylim(0, 1.02)
plt.show()

# %%
# 不平移时两个网络都很准（多层感知机约 96%，卷积神经网络约 98%）。平移之后，多层感知机的准确率迅速下降：它的每个权重都绑定在一个固定的像素位置上，笔画换了位置，就落到了另一组权重上；平移 1 个像素时只剩 41%～56%。卷积神经网络在每个平移量上都更准（平移 1 个像素时 58%～75%）：同一个卷积核在每个位置都适用，平移后的笔画仍然被同样的核检测到，特征图也随之平移；最大池化又吸收了一部分小的位移。不过它远不是平移不变的：最后的全连接层仍然依赖特征出现的位置，平移 2 个像素（图像宽度的四分之一）时，两个网络的准确率都跌到 25% 以下。
