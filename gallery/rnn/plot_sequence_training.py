"""
用 RNN 预测带噪声的周期信号
==============================

一个很小的 RNN 逐步读入带噪声的周期信号，在每个时刻预测下一个时刻的值（对齐的多对多）。用 Adam 和梯度裁剪训练，再在没见过的片段上比较预测与真值。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import minibatches
from dlnotes.layers import RNN, Linear, Sequential
from dlnotes.losses import MSELoss
from dlnotes.optim import Adam, clip_grad_norm

# %%
# 信号是两个正弦之和加上高斯噪声：:math:`s(k) = \sin(2\pi k/25) + 0.5\sin(2\pi k/9) + \varepsilon_k`\ ，:math:`\varepsilon_k \sim \mathcal N(0, 0.1^2)`。前 80% 切成长度 :math:`T = 40` 的窗口作训练集，后 20% 作测试集。输入是窗口里的 :math:`s(k)`，目标是 :math:`s(k+1)`，两者形状都是 :math:`(N, T, 1)`。
#
# 网络是 ``Sequential(RNN(1, 32), Linear(32, 1))``：``Linear`` 作用在最后一个轴上，把每个时刻的 :math:`h_t` 映射成一个预测值。损失是 ``MSELoss``，优化器是 ``Adam``\ （学习率 0.01），批大小 32，训练 40 轮，每一步在更新前用 ``clip_grad_norm`` 把梯度的全局范数裁剪到 1。作为对照，还计算了最朴素的预测“下一个值等于当前值”的误差。

rng = np.random.default_rng(0)
k = np.arange(3000)
s = np.sin(2 * np.pi * k / 25) + 0.5 * np.sin(2 * np.pi * k / 9)
s = s + rng.normal(scale=0.1, size=k.size)
T = 40


def windows(series, stride):
    starts = np.arange(0, series.size - T - 1, stride)
    X = np.stack([series[i : i + T] for i in starts])[..., None]
    Y = np.stack([series[i + 1 : i + T + 1] for i in starts])[..., None]
    return X, Y


split = int(0.8 * s.size)
X_train, Y_train = windows(s[:split], stride=5)
X_test, Y_test = windows(s[split:], stride=T)
print("train", X_train.shape, "test", X_test.shape)

model = Sequential(RNN(1, 32, rng=rng), Linear(32, 1, rng=rng))
loss_fn = MSELoss()
opt = Adam(model.parameters(), lr=0.01)
train_loss, test_loss = [], []
for _epoch in range(40):
    losses = []
    for xb, yb in minibatches(X_train, Y_train, 32, rng=rng):
        loss = loss_fn.forward(model(xb), yb)
        opt.zero_grad()
        model.backward(loss_fn.backward())
        clip_grad_norm(model.parameters(), 1.0)
        opt.step()
        losses.append(loss)
    train_loss.append(np.mean(losses))
    test_loss.append(loss_fn.forward(model(X_test, training=False), Y_test))
print(f"final train MSE {train_loss[-1]:.4f}, test MSE {test_loss[-1]:.4f}")
print(f"noise variance 0.1^2 = {0.1**2:.4f}")
print(f"persistence baseline s(k+1) = s(k): {loss_fn.forward(X_test, Y_test):.4f}")
late = loss_fn.forward(model(X_test, training=False)[:, 10:], Y_test[:, 10:])
print(f"test MSE from step 11 on: {late:.4f}")

pred = model(X_test, training=False)
fig, (ax1, ax2) = plt.subplots(
    1, 2, figsize=(10, 3.8), layout="constrained", gridspec_kw={"width_ratios": [1, 2]}
)
ax1.semilogy(np.arange(1, 41), train_loss, label="train")
ax1.semilogy(np.arange(1, 41), test_loss, label="test")
ax1.axhline(0.01, color="gray", ls=":", label=r"noise $\sigma^2$")
ax1.set_xlabel("epoch")
ax1.set_ylabel("MSE")
ax1.legend()
ax1.set_title("loss")
steps = np.arange(1, 2 * T + 1)
truth = np.concatenate([Y_test[0, :, 0], Y_test[1, :, 0]])
guess = np.concatenate([pred[0, :, 0], pred[1, :, 0]])
ax2.plot(steps, truth, "k.-", lw=0.8, ms=3, label="truth $s(k+1)$")
ax2.plot(steps, guess, "tab:red", lw=1.5, label="RNN prediction")
ax2.axvline(T + 0.5, color="gray", ls="--", lw=0.8)
ax2.set_xlabel("step in two held-out windows")
ax2.set_ylabel("signal")
ax2.legend(loc="upper right", fontsize=9)
ax2.set_title("next-value prediction (test)")
plt.show()

# %%
# 测试集上的均方误差约为 0.028，而“下一个值等于当前值”的朴素预测是 0.109。误差主要来自每个窗口开头的几步：隐藏状态从 :math:`h_0 = 0` 开始，还没有“看到”足够的历史，右图虚线右边第二个窗口的开头就能看到这一点。只算第 11 步以后，均方误差约为 0.016，已接近目标自身噪声的方差 :math:`0.1^2 = 0.01`\ ：下一时刻的噪声本来就无法预测，网络学到的是信号中可预测的部分。
