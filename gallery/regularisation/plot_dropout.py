"""
随机失活（Dropout）对过拟合的影响
==================================

同一个两层隐藏层的网络，只用 200 张图像训练，一次不加 Dropout，一次在每个隐藏层之后加 ``Dropout(0.5)``，比较训练损失和测试损失随训练轮数的变化。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import digits_split
from dlnotes.layers import Dropout, Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import fit

# %%
# 网络为 ``Linear(64, 256)`` – ReLU – [Dropout] – ``Linear(256, 256)`` – ReLU – [Dropout] – ``Linear(256, 10)``，小批量梯度下降（批大小 20，学习率 0.1），150 轮。``fit`` 在训练时以 ``training=True`` 调用网络（Dropout 随机丢弃单元），在每轮结束后测量损失时以 ``training=False`` 调用（Dropout 是恒等映射）。

X_train, X_test, y_train, y_test = digits_split()
idx = np.random.default_rng(0).permutation(len(X_train))[:200]


def run(p):
    rng = np.random.default_rng(1)
    net = Sequential(
        Linear(64, 256, rng=rng), ReLU(), Dropout(p, rng=rng),
        Linear(256, 256, rng=rng), ReLU(), Dropout(p, rng=rng),
        Linear(256, 10, rng=rng),
    )  # fmt: skip
    opt = SGD(net.parameters(), lr=0.1)
    history = fit(
        net, CrossEntropyLoss(), opt, X_train[idx], y_train[idx], epochs=150, batch_size=20,
        rng=rng, validation_data=(X_test, y_test),
    )  # fmt: skip
    return net, history


runs = {p: run(p) for p in (0.0, 0.5)}
for p, (_, h) in runs.items():
    b = int(np.argmin(h.val_loss))
    print(
        f"p = {p}: min test loss {h.val_loss[b]:.3f} (epoch {b + 1}), final test loss "
        f"{h.val_loss[-1]:.3f}, final test accuracy {h.val_accuracy[-1]:.3f}, "
        f"final train loss {h.train_loss[-1]:.4f}"
    )

# %%
# 左图：训练损失（对数纵轴）。中图：测试损失，圆点标出最低点。右图：一个批次的 20 个样本经过第一个 Dropout 层后的输出（只画前 40 个隐藏单元），白色是被丢弃的单元，被保留的值乘以了 :math:`1/(1-p) = 2`\ （深紫色的 0 是 ReLU 本身输出的 0）。

net, _ = runs[0.5]
h1 = net[1](net[0](X_test[:20], training=False), training=False)
dropped = net[2](h1, training=True)

fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(10, 3.6), layout="constrained")
for p, color in [(0.0, "C0"), (0.5, "C2")]:
    h = runs[p][1]
    name = "no dropout" if p == 0 else f"dropout p = {p}"
    b = int(np.argmin(h.val_loss))
    ax0.plot(h.epoch, h.train_loss, color=color, lw=1.8, label=name)
    ax1.plot(h.epoch, h.val_loss, color=color, lw=1.8, label=name)
    ax1.plot(h.epoch[b], h.val_loss[b], "o", color=color, mec="k", ms=7)
ax0.set_yscale("log")
ax0.set_title("train loss", fontsize=10)
ax1.set_ylim(0.15, 0.6)
ax1.set_title("test loss (dots: minimum)", fontsize=10)
for ax in (ax0, ax1):
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5)
ax0.set_ylabel("cross-entropy loss")
masked = np.ma.masked_where(~net[2].mask[:, :40], dropped[:, :40])
im = ax2.imshow(masked, cmap="viridis", aspect="auto")
ax2.set_xlabel("hidden unit")
ax2.set_ylabel("sample in the batch")
ax2.set_title(f"after Dropout(0.5): {np.mean(net[2].mask):.0%} kept", fontsize=10)
fig.colorbar(im, ax=ax2, shrink=0.8)
plt.show()

# %%
# 不加 Dropout 时，测试损失在第 56 轮到达最低点 0.259，然后随着训练损失继续下降而回升，最终为 0.293，测试准确率 0.929。加了 Dropout 后，从第 40 轮左右起测试损失一直低于不加的情况，最低点来得更晚（第 115 轮）也更低（0.216），最终为 0.248，测试准确率 0.944。Dropout 缓解了过拟合，但没有消除它：训练足够久，测试损失仍会慢慢回升，所以实践中常和提前停止一起使用。
