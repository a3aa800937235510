"""
训练一个深层网络：sigmoid 与 ReLU + He 初始化
=============================================

梯度消失的直接后果是网络学不动。本例在手写数字上训练同样结构的 10 层多层感知机，只改变激活函数和初始化，比较训练过程中的损失和测试集准确率。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import init
from dlnotes.data import digits_split
from dlnotes.layers import ReLU, Sigmoid, Tanh, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 网络为 64 → 64 → … → 64 → 10，共 10 个 ``Linear`` 层。四种配置：sigmoid 与 ReLU 都先用 ``Linear`` 的默认初始化，再加上 ReLU 搭配 He 初始化、tanh 搭配 Xavier 初始化（偏置均为 0）。优化器都是学习率 0.05 的小批量梯度下降（批大小 64），训练 15 轮，训练数据的打乱顺序也相同。训练集有 1348 张图片，这里只用前 1344 张（正好 21 个批），免得每一轮末尾剩下一个只有 4 个样本的小批，它的梯度噪声很大，会让损失曲线出现与本例无关的尖峰。

X_train, X_test, y_train, y_test = digits_split()
X_train, y_train = X_train[:1344], y_train[:1344]  # 21 full batches of 64
depth, width = 10, 64


def build(act, scheme=None):
    """A 10-layer MLP with `act`; `scheme` redraws every weight (biases set to 0)."""
    sizes = [64] + [width] * (depth - 1) + [10]
    return mlp(sizes, act, rng=np.random.default_rng(0), weight_init=scheme)


configs = {
    "sigmoid, default init": build(Sigmoid),
    "ReLU, default init": build(ReLU),
    "tanh + Xavier init": build(Tanh, init.xavier_normal_),
    "ReLU + He init": build(ReLU, init.kaiming_normal_),
}
histories = {}
for name, net in configs.items():
    histories[name] = fit(
        net,
        CrossEntropyLoss(),
        SGD(net.parameters(), lr=0.05),
        X_train,
        y_train,
        epochs=15,
        batch_size=64,
        rng=np.random.default_rng(1),
        validation_data=(X_test, y_test),
    )
    h = histories[name]
    print(f"{name:>22}: train loss {h.train_loss[-1]:.3f}, test accuracy {h.val_accuracy[-1]:.3f}")
print(f"{'ln 10':>22}: {np.log(10):.3f}")

# %%
# 左图：每一轮结束时训练集上的交叉熵损失，灰色虚线是 :math:`\ln 10 \approx 2.30`\ （对 10 个类别均匀猜测时的损失）。右图：测试集准确率，灰色虚线是随机猜测的 0.1。

styles = {
    "sigmoid, default init": ("C0", "-"),
    "ReLU, default init": ("C2", ":"),
    "tanh + Xavier init": ("C1", "-"),
    "ReLU + He init": ("C2", "-"),
}
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
for name, h in histories.items():
    color, ls = styles[name]
    ax0.plot(h.epoch, h.train_loss, ls, color=color, lw=2, marker="o", ms=3, label=name)
    ax1.plot(h.epoch, h.val_accuracy, ls, color=color, lw=2, marker="o", ms=3, label=name)
ax0.axhline(np.log(10), color="0.5", ls="--", lw=1)
ax0.set_xlabel("epoch")
ax0.set_ylabel("train loss (cross-entropy)")
ax0.set_title("training loss")
ax0.set_ylim(0, 2.6)
ax0.grid(alpha=0.3)
ax1.axhline(0.1, color="0.5", ls="--", lw=1)
ax1.set_xlabel("epoch")
ax1.set_ylabel("test accuracy")
ax1.set_title("test accuracy")
ax1.set_ylim(0, 1.02)
ax1.grid(alpha=0.3)
ax1.legend(fontsize=9, loc="center right")
for ax in (ax0, ax1):
    ax.set_xticks([1, 5, 10, 15])
plt.show()

# %%
# 从图中可以读出：
#
# * sigmoid 网络的损失一直停在 :math:`\ln 10` 附近，准确率与随机猜测相当：前面几层几乎收不到梯度，而到达最后几层的信号已经几乎不含输入的信息，只学到了“各类别大致一样多”。
# * 默认初始化的 ReLU 网络同样停滞：仅仅换用 ReLU 并不够，权重方差太小时信号和梯度照样逐层衰减。
# * ReLU 搭配 He 初始化、tanh 搭配 Xavier 初始化的网络在几轮之内就把损失降了下来，测试准确率超过 90%。
