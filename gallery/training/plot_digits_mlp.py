"""
多层感知机在手写数字上的训练曲线
================================

只用 ``dlnotes`` 的部件搭一个多层感知机，在手写数字数据集上用小批量梯度下降训练 40 轮，画出每一轮结束时训练集和测试集上的损失与准确率。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import Standardizer, digits_split
from dlnotes.layers import ReLU, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 设置与正文相同：``digits_split()`` 的固定划分（训练集 1348 张，测试集 449 张），``Standardizer`` 只在训练集上拟合；网络为 64–256–128–10，隐藏层用 ReLU；交叉熵损失，SGD，学习率 0.1，批大小 32，共 40 轮。测试集作为 ``validation_data`` 交给 ``fit``，每轮结束时测一次。

X_train, X_test, y_train, y_test = digits_split()
scaler = Standardizer().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

rng = np.random.default_rng(0)
net = mlp([64, 256, 128, 10], ReLU, rng=rng)
history = fit(
    net,
    CrossEntropyLoss(),
    SGD(net.parameters(), lr=0.1),
    X_train,
    y_train,
    epochs=40,
    batch_size=32,
    rng=rng,
    validation_data=(X_test, y_test),
)
best = int(np.argmin(history.val_loss))
print(
    f"after epoch 1:  train acc {history.train_accuracy[0]:.2%}, test acc {history.val_accuracy[0]:.2%}"
)
print(
    f"after epoch 40: train acc {history.train_accuracy[-1]:.2%}, test acc {history.val_accuracy[-1]:.2%}"
)
print(f"lowest test loss {history.val_loss[best]:.4f} after epoch {history.epoch[best]}")

# %%
# 左图是损失（对数刻度），右图是准确率。

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
ax0.plot(history.epoch, history.train_loss, "o-", ms=3, label="train loss")
ax0.plot(history.epoch, history.val_loss, "s-", ms=3, label="test loss")
ax0.axvline(history.epoch[best], color="0.5", ls=":", label="lowest test loss")
ax0.set_yscale("log")
ax0.set_xlabel("epoch")
ax0.set_ylabel("cross-entropy loss")
ax0.set_title("loss")
ax0.grid(alpha=0.3)
ax0.legend()

ax1.plot(history.epoch, history.train_accuracy, "o-", ms=3, label="train accuracy")
ax1.plot(history.epoch, history.val_accuracy, "s-", ms=3, label="test accuracy")
ax1.axhline(0.97, color="0.5", ls="--", lw=1, label="97%")
ax1.set_ylim(0.75, 1.01)
ax1.set_xlabel("epoch")
ax1.set_ylabel("accuracy")
ax1.set_title(f"accuracy (final test: {history.val_accuracy[-1]:.2%})")
ax1.grid(alpha=0.3)
ax1.legend(loc="lower right")
plt.show()

# %%
# 第 1 轮之后测试准确率约为 77%，前几轮训练损失和准确率都有起伏，从第 8 轮起测试准确率稳定在 97% 左右。此后训练损失一路下降，训练准确率很快达到 100%；测试损失在第 20 轮左右降到最低，之后基本持平、略有回升。训练集上的表现持续变好而测试集上不再变好，是过拟合的开始，“正则化”一章会用提前停止等方法处理它。
