"""
BGD、SGD 与 MBGD 的对比
=======================

三种梯度下降只差在每次更新用多少个样本估计梯度：批量梯度下降（BGD）用全部 :math:`N` 个样本，随机梯度下降（SGD）用 1 个，小批量梯度下降（MBGD）用 :math:`B` 个。本例在真实的手写数字数据上，从同一组初始权重出发训练同一个网络，比较三者的训练损失随轮数、随更新次数和随运行时间的变化。
"""

import copy
import time

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import Standardizer, digits_split
from dlnotes.layers import Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import Callback, fit

# %%
# 数据是 ``digits_split()`` 给出的训练集（1348 张 8×8 的数字图像），输入用训练集的均值和标准差做标准化。网络为 ``Linear(64, 32)`` – ReLU – ``Linear(32, 10)``，损失为交叉熵。三种方法都训练 10 轮，每种方法取各自合适的学习率：SGD 的梯度噪声最大，学习率必须最小（取 0.1 时 SGD 在第 1 轮就发散了）。``Clock`` 回调在每轮结束时记下已用的时间。

X_train, _, y_train, _ = digits_split()
X_train = Standardizer().fit_transform(X_train)
n = len(X_train)
rng = np.random.default_rng(1)
init = Sequential(Linear(64, 32, rng=rng), ReLU(), Linear(32, 10, rng=rng))


class Clock(Callback):
    """Seconds since the start of training, at the end of every epoch."""

    def on_train_begin(self, model):
        self.start, self.seconds = time.perf_counter(), []

    def on_epoch_end(self, epoch, history, model):
        self.seconds.append(time.perf_counter() - self.start)


methods = {  # name: (batch size, learning rate)
    "BGD (B = N)": (n, 0.5),
    "MBGD (B = 32)": (32, 0.1),
    "SGD (B = 1)": (1, 0.01),
}
runs = {}
for name, (batch_size, lr) in methods.items():
    net, clock = copy.deepcopy(init), Clock()
    history = fit(
        net,
        CrossEntropyLoss(),
        SGD(net.parameters(), lr=lr),
        X_train,
        y_train,
        epochs=10,
        batch_size=batch_size,
        rng=np.random.default_rng(2),
        callbacks=[clock],
    )
    runs[name] = (history, clock.seconds)
    print(
        f"{name:14s} lr={lr:<5} updates/epoch={len(history.batch_loss) // 10:5d}  "
        f"loss after 1 epoch {history.train_loss[0]:.3f}, after 10 {history.train_loss[-1]:.3f}  "
        f"time {clock.seconds[-1]:.2f} s"
    )

# %%
# 左图：每轮结束时在整个训练集上测得的损失。中图：横轴是更新次数（对数刻度），细线是每次更新所用那一批样本的损失，粗线是 SGD 每 100 次更新的滑动平均。右图：横轴是本机上测得的运行时间（对数刻度），换一台机器数值会不同，但三者的相对快慢大致不变。

colors = {"BGD (B = N)": "C0", "MBGD (B = 32)": "C2", "SGD (B = 1)": "C3"}
fig, axes = plt.subplots(1, 3, figsize=(10, 3.8), layout="constrained")
for name, (history, seconds) in runs.items():
    c = colors[name]
    axes[0].plot(history.epoch, history.train_loss, "o-", color=c, ms=4, label=name)
    steps = np.arange(1, len(history.batch_loss) + 1)
    axes[1].plot(steps, history.batch_loss, color=c, lw=0.6, alpha=0.35)
    if len(history.batch_loss) > 1000:
        smooth = np.convolve(history.batch_loss, np.ones(100) / 100, mode="valid")
        axes[1].plot(steps[99:], smooth, color=c, lw=2, label=name + ", mean of 100")
    else:
        axes[1].plot(steps, history.batch_loss, color=c, lw=2, label=name)
    axes[2].plot(seconds, history.train_loss, "o-", color=c, ms=4, label=name)

axes[0].set_xlabel("epoch")
axes[0].set_title("loss per epoch")
axes[1].set_xscale("log")
axes[1].set_xlabel("update (log scale)")
axes[1].set_title("batch loss per update")
axes[2].set_xscale("log")
axes[2].set_xlabel("wall-clock time [s] (log scale)")
axes[2].set_title("loss vs time (this machine)")
for ax in axes:
    ax.set_yscale("log")
    ax.set_ylabel("cross-entropy loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
axes[1].set_ylim(1e-4, 30)
plt.show()

# %%
# 三幅图说明了同一个权衡：
#
# * 左图，**按轮数**：一轮中 BGD 只更新 1 次，MBGD 更新 43 次，SGD 更新 1348 次。同样看完一遍数据，BGD 走的步数最少，10 轮后损失仍然很高；SGD 和 MBGD 都已降得很低。
# * 中图，**按更新次数**：BGD 每一步都用精确的梯度，曲线最平滑，每步的下降也最可靠；SGD 每步只看一个样本，单个样本的损失从 :math:`10^{-4}` 以下到 10 左右剧烈跳动，只有平均之后才看得出下降的趋势。MBGD 的噪声介于两者之间。
# * 右图，**按时间**：SGD 每次更新只算一个样本，无法利用矩阵运算的并行能力，每轮耗时最长；MBGD 用一次矩阵乘法处理 32 个样本，既有足够多的更新次数，每轮又快，通常是最好的折中，这也是实践中的默认做法。
