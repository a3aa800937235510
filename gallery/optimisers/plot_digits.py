"""
六种优化器训练同一个网络
========================

玩具函数上的轨迹很直观，但真正要紧的是训练神经网络时的表现。本例在真实的手写数字数据上，用六种优化器从同一组初始权重出发训练同一个多层感知机，比较训练损失和测试准确率。
"""

import copy

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import Standardizer, digits_split
from dlnotes.layers import ReLU, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Momentum, RMSprop
from dlnotes.train import fit

# %%
# 数据是 ``digits_split()`` 的训练集（1348 张）和测试集（449 张），输入用训练集的均值和标准差标准化。网络为 64–64–10（``Linear`` – ReLU – ``Linear``），交叉熵损失，批大小 32，训练 20 轮；每轮打乱数据用的随机数种子对六种优化器都相同，所以它们看到的小批量序列完全一样。学习率是预先在 :math:`\{3\times 10^{-4}, 10^{-3}, 3\times 10^{-3}, \dots, 0.3\}` 上试过、20 轮后测试损失最低的值（严格地说应当另留一个验证集来选，这里为了简短直接用了测试集）。Adadelta 不调学习率，用它的默认值 :math:`\eta = 1`（它的更新幅度由自身的滑动平均决定，见正文）。其余超参数取默认值：动量 :math:`\alpha = 0.9`，RMSprop :math:`\rho = 0.99`，Adam :math:`\beta_1 = 0.9,\ \beta_2 = 0.999`，Adadelta :math:`\rho = 0.9,\ \varepsilon = 10^{-6}`。

X_train, X_test, y_train, y_test = digits_split()
scaler = Standardizer().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
rng = np.random.default_rng(0)
init = mlp([64, 64, 10], ReLU, rng=rng)

optimisers = {  # name: (constructor, tuned learning rate)
    "SGD": (lambda p, lr: SGD(p, lr), 0.3),
    "Momentum": (lambda p, lr: Momentum(p, lr, momentum=0.9), 0.03),
    "Adagrad": (lambda p, lr: Adagrad(p, lr), 0.1),
    "RMSprop": (lambda p, lr: RMSprop(p, lr, alpha=0.99), 0.001),
    "Adam": (lambda p, lr: Adam(p, lr), 0.003),
    "Adadelta": (lambda p, lr: Adadelta(p, lr), 1.0),  # the default, not tuned
}
histories = {}
for name, (make, lr) in optimisers.items():
    net = copy.deepcopy(init)
    histories[name] = fit(
        net,
        CrossEntropyLoss(),
        make(net.parameters(), lr),
        X_train,
        y_train,
        epochs=20,
        batch_size=32,
        rng=np.random.default_rng(1),
        validation_data=(X_test, y_test),
    )
    h = histories[name]
    print(
        f"{name:9s} lr={lr:<6} train loss after 1 / 5 / 20 epochs "
        f"{h.train_loss[0]:.3f} / {h.train_loss[4]:.4f} / {h.train_loss[-1]:.1e}  "
        f"test loss {h.val_loss[-1]:.3f}  test accuracy {h.val_accuracy[-1]:.1%}"
    )

# %%
# 左图是每轮结束时整个训练集上的损失（对数纵轴），右图是测试集上的准确率。

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for i, (name, h) in enumerate(histories.items()):
    label = rf"{name}, $\eta$ = {optimisers[name][1]}"
    axes[0].plot(h.epoch, h.train_loss, "o-", color=f"C{i}", ms=3, lw=1.5, label=label)
    axes[1].plot(h.epoch, h.val_accuracy, "o-", color=f"C{i}", ms=3, lw=1.5, label=label)
axes[0].set_yscale("log")
axes[0].set_ylabel("train cross-entropy loss")
axes[0].set_title("training loss")
axes[1].set_ylim(0.9, 1.0)
axes[1].set_ylabel("test accuracy")
axes[1].set_title("test accuracy")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
plt.show()

# %%
# 前五种优化器的学习率各自调好、Adadelta 用默认的学习率 1 之后，六种优化器在这个小问题上的测试准确率相差不大（20 轮后都在 96.7%–97.6% 之间），差别主要在训练损失下降的速度。几点值得注意：
#
# * SGD（:math:`\eta = 0.3`）与动量（:math:`\eta = 0.03`，:math:`\alpha = 0.9`）的曲线几乎重合。这不是巧合：梯度变化不大时，动量的有效学习率是 :math:`\eta/(1-\alpha) = 0.03/0.1 = 0.3`，正好等于 SGD 的学习率。
# * Adagrad 的训练损失下降得最快、最低，测试损失却是六者中最高的（0.096）；训练损失更低并不等于泛化更好。
# * RMSprop 在 :math:`\eta = 0.001` 时训练最慢；更大的学习率训练得更快，但测试损失反而升高，所以没有被选中。Adam 的测试损失最低（0.084）。
# * 调好的学习率相差了两个数量级（SGD 为 0.3，RMSprop 为 0.001）：换优化器时，学习率必须重新调。
# * Adadelta 没有调学习率，用的是默认的 :math:`\eta = 1`：它的更新幅度由过去更新量的均方根决定，在这里训练损失降得仅次于 Adagrad，测试损失（0.085）与调过学习率的 Adam 几乎相同。
