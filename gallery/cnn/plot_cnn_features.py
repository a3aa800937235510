"""
训练好的卷积神经网络学到了什么
==============================

只用 ``dlnotes`` 的部件搭建正文中的卷积神经网络，在手写数字上训练，然后画出第一层学到的 :math:`3 \\times 3` 卷积核，以及一张测试图像经过网络各层后的特征图。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import digits_split
from dlnotes.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Momentum
from dlnotes.train import evaluate, fit

# %%
# 网络与正文相同：``Conv2d(1, 16, 3, padding=1)`` – ReLU – ``Conv2d(16, 32, 3, padding=1)`` – ReLU – ``MaxPool2d(2)`` – ``Flatten`` – ``Linear(512, 10)``；动量法（学习率 0.05，动量 0.9），批大小 32，训练 10 轮，随机种子 0。

X_train, X_test, y_train, y_test = digits_split()
X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
rng = np.random.default_rng(0)
net = Sequential(
    Conv2d(1, 16, 3, padding=1, rng=rng),
    ReLU(),
    Conv2d(16, 32, 3, padding=1, rng=rng),
    ReLU(),
    MaxPool2d(2),
    Flatten(),
    Linear(32 * 4 * 4, 10, rng=rng),
)
loss_fn = CrossEntropyLoss()
opt = Momentum(net.parameters(), lr=0.05, momentum=0.9)
fit(net, loss_fn, opt, X_train, y_train, epochs=10, batch_size=32, rng=rng)
print(f"test accuracy: {evaluate(net, loss_fn, X_test, y_test)[1]:.2%}")

# %%
# 第一层的 16 个卷积核（每个只有 1 个输入通道，形状 :math:`3 \times 3`）。红色为正权重，蓝色为负权重，每个核用自己的最大绝对值定色标。

kernels = net[0].weight.value[:, 0]
fig, axes = plt.subplots(2, 8, figsize=(9.5, 2.9), layout="constrained")
for k, ax in enumerate(axes.ravel()):
    lim = np.abs(kernels[k]).max()
    ax.imshow(kernels[k], cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_title(f"kernel {k}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("learned 3×3 kernels of the first Conv2d layer (red > 0, blue < 0)", fontsize=11)
plt.show()

# %%
# 一张测试图像逐层前向传播，记下每一层的输出。每一行画出前 6 个通道：第一层卷积的输出（有正有负）、ReLU 之后（负值变为 0）、第二层卷积再经 ReLU 之后、最大池化之后（:math:`8 \times 8` 变成 :math:`4 \times 4`）。每张图用自己的最大绝对值定色标，红色为正，蓝色为负。

image = X_test[:1]
outputs = []
h = image
for layer in net:
    h = layer(h, training=False)
    outputs.append(h)
rows = [
    ("conv1 output", outputs[0]),
    ("after ReLU", outputs[1]),
    ("conv2 + ReLU", outputs[3]),
    ("after max pool", outputs[4]),
]
print("label:", y_test[0], " shapes:", [o.shape for o in outputs])

fig = plt.figure(figsize=(9.5, 6.0), layout="constrained")
grid = fig.add_gridspec(4, 8)
ax = fig.add_subplot(grid[1:3, 0:2])
ax.imshow(image[0, 0], cmap="gray_r")
ax.set_title(f"input 8×8 (digit {y_test[0]})", fontsize=10)
ax.set_xticks([])
ax.set_yticks([])
for r, (name, out) in enumerate(rows):
    for c in range(6):
        lim = max(np.abs(out[0, c]).max(), 1e-12)  # each map on its own scale
        ax = fig.add_subplot(grid[r, 2 + c])
        ax.imshow(out[0, c], cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_xticks([])
        ax.set_yticks([])
        if c == 0:
            ax.set_ylabel(f"{name}\n{out.shape[2]}×{out.shape[3]}", fontsize=9)
        if r == 0:
            ax.set_title(f"channel {c}", fontsize=9)
plt.show()

# %%
# 不同的卷积核对同一张图响应不同：有的在笔画的某一侧输出大的正数，有的在另一侧输出负数，相当于不同方向的边缘检测器。ReLU 把负值截为 0，只留下“找到了这种特征”的位置。最大池化把每个 :math:`2 \times 2` 区域缩成一个数，特征图的边长减半，保留每个区域里最强的响应。
