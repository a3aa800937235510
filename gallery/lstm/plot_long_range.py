"""
LSTM 与 RNN：记住第一个符号
============================

任务：序列的第 0 步是 4 个符号之一（one-hot），之后 :math:`T-1` 步都是噪声，网络要在最后一步说出第 0 步的符号。同样的隐藏层大小、同样的优化器（Adam，梯度裁剪）、同样多次更新（600 次），只把间隔 :math:`T` 拉长，比较 RNN 和 LSTM。LSTM 的遗忘门偏置初始化为 3（开始时 :math:`f \\approx 0.95`\\ ，默认保留记忆）。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import LSTM, RNN, LastStep, Linear, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Adam, clip_grad_norm
from dlnotes.train import accuracy

K, H, BATCH, STEPS = 4, 16, 32, 600


def make_batch(n, T, rng):
    """Symbol at t = 0 (one-hot), then T - 1 steps of noise; label = the symbol."""
    y = rng.integers(0, K, size=n)
    x = 0.5 * rng.normal(size=(n, T, K))
    x[:, 0] = np.eye(K)[y]
    return x, y


def train(cell, T, seed=0):
    rng = np.random.default_rng(seed)
    net = Sequential(cell(K, H, rng=rng), LastStep(), Linear(H, K, rng=rng))
    if cell is LSTM:  # forget-gate bias: start with f = sigmoid(3) = 0.95 (keep by default)
        net[0].bias_ih.value[H : 2 * H] = 3.0
        net[0].bias_hh.value[H : 2 * H] = 0.0
    loss_fn, opt = CrossEntropyLoss(), Adam(net.parameters(), lr=0.01)
    curve = []
    for _ in range(STEPS):
        x, y = make_batch(BATCH, T, rng)
        curve.append(loss_fn.forward(net.forward(x), y))
        net.backward(loss_fn.backward())
        clip_grad_norm(net.parameters(), 1.0)
        opt.step()
    x, y = make_batch(500, T, np.random.default_rng(100 + T))
    return accuracy(net.forward(x, training=False), y), np.array(curve)


Ts = [5, 10, 20, 40]
results = {name: [train(cell, T) for T in Ts] for name, cell in [("RNN", RNN), ("LSTM", LSTM)]}

# %%
# 左图是训练结束后在新序列上的准确率，右图是 :math:`T = 40` 时的训练损失（每 10 次更新取平均）。

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for name, marker in [("RNN", "o"), ("LSTM", "s")]:
    ax1.plot(Ts, [acc for acc, _ in results[name]], marker=marker, lw=2, label=name)
    curve = results[name][-1][1].reshape(-1, 10).mean(axis=1)
    ax2.plot(np.arange(len(curve)) * 10 + 5, curve, lw=2, label=name)
ax1.axhline(1 / K, color="0.5", ls="--", lw=1, label="chance 1/K")
ax1.set(xscale="log", xlabel="gap $T$ (steps)", ylabel="test accuracy", ylim=(0, 1.05))
ax1.set_xticks(Ts, [str(T) for T in Ts])
ax1.set_xticks([], minor=True)
ax1.set_title(f"after {STEPS} updates")
ax2.axhline(np.log(K), color="0.5", ls="--", lw=1, label=r"$\ln K$ (guessing)")
ax2.set(xlabel="update", ylabel="cross-entropy loss", title="learning curves, $T = 40$")
for ax in (ax1, ax2):
    ax.grid(alpha=0.3)
    ax.legend()
plt.show()

# %%
# 间隔短时两者都能学会；间隔变长后，RNN 的准确率落回猜测水平（:math:`1/K`\ ），损失停在 :math:`\ln K` 附近，而 LSTM 仍然能记住第 0 步的符号。
