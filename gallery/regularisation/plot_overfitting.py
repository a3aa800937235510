"""
过拟合：参数远多于数据时
========================

一个有 19210 个参数的多层感知机，只用 100 张手写数字图像训练，会把训练集“背下来”：训练损失趋于 0，测试损失却在下降一段之后回升。同一个网络用 500 张图像训练时，测试损失要低得多。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import digits_split
from dlnotes.layers import Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 数据是 scikit-learn 自带的 8×8 手写数字，固定的测试集有 449 张。网络为 ``Linear(64, 256)`` – ReLU – ``Linear(256, 10)``，用小批量梯度下降（批大小 20，学习率 0.5）训练 150 轮。

X_train, X_test, y_train, y_test = digits_split()
order = np.random.default_rng(0).permutation(len(X_train))


def run(n, epochs=150):
    """Train the same 64-256-10 network on the first `n` shuffled training images."""
    rng = np.random.default_rng(1)
    net = Sequential(Linear(64, 256, rng=rng), ReLU(), Linear(256, 10, rng=rng))
    idx = order[:n]
    return fit(
        net,
        CrossEntropyLoss(),
        SGD(net.parameters(), lr=0.5),
        X_train[idx],
        y_train[idx],
        epochs=epochs,
        batch_size=20,
        rng=rng,
        validation_data=(X_test, y_test),
    )


n_params = 64 * 256 + 256 + 256 * 10 + 10
runs = {n: run(n) for n in (100, 500)}
for n, h in runs.items():
    best = int(np.argmin(h.val_loss)) + 1
    print(
        f"n = {n:4d}: params / data = {n_params / n:6.1f}, final train loss {h.train_loss[-1]:.4f}, "
        f"test loss {h.val_loss[-1]:.3f} (min {min(h.val_loss):.3f} at epoch {best}), "
        f"test accuracy {h.val_accuracy[-1]:.3f}"
    )

# %%
# 实线是训练集上的损失，虚线是测试集上的损失（对数纵轴）。

fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained", sharey=True)
for ax, (n, h) in zip(axes, runs.items(), strict=True):
    ax.plot(h.epoch, h.train_loss, "C0-", lw=2, label="train loss")
    ax.plot(h.epoch, h.val_loss, "C3--", lw=2, label="test loss")
    best = int(np.argmin(h.val_loss))
    ax.plot(h.epoch[best], h.val_loss[best], "ko", ms=6, label=f"min test loss (epoch {best + 1})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_title(f"{n} training images ({n_params} parameters)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
axes[0].set_ylabel("cross-entropy loss")
plt.show()

# %%
# 只有 100 张图像时，训练损失一路降到接近 0，测试损失在第 21 轮达到最低后开始回升，两者相差两个数量级以上：网络记住了训练样本本身（包括其中的偶然细节），而不是数字的一般规律。有 500 张图像时，训练损失同样降到很低，测试损失却低得多（最低 0.158，最终 0.201），测试准确率从 0.906 提高到 0.958。
