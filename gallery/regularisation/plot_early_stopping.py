"""
提前停止：验证损失不再下降时停止训练
====================================

从 300 张训练图像中切出 60 张作为验证集，用剩下的 240 张训练一个两层隐藏层的网络。``EarlyStopping`` 在每一轮之后检查验证损失，连续 ``patience`` 轮没有改进就停止训练，并恢复验证损失最低那一轮的权重。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import digits_split, train_test_split
from dlnotes.layers import ReLU, mlp
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.regularization import EarlyStopping
from dlnotes.train import evaluate, fit

# %%
# 为了看到停止之后会发生什么，同一个网络（同样的随机种子）训练两次：一次带 ``EarlyStopping(patience=10)``，一次不停止、训练满 150 轮。两次在停止之前的每一步都完全相同。测试集（449 张）只在最后用来评估，从不参与选择。

X_train, X_test, y_train, y_test = digits_split()
idx = np.random.default_rng(0).permutation(len(X_train))[:300]
X_fit, X_val, y_fit, y_val = train_test_split(
    X_train[idx], y_train[idx], test_size=0.2, rng=np.random.default_rng(1)
)
print("train:", X_fit.shape, " validation:", X_val.shape, " test:", X_test.shape)


def train(callbacks):
    rng = np.random.default_rng(2)
    net = mlp([64, 256, 256, 10], ReLU, rng=rng)
    opt = SGD(net.parameters(), lr=0.3)
    history = fit(
        net, CrossEntropyLoss(), opt, X_fit, y_fit, epochs=150, batch_size=20, rng=rng,
        validation_data=(X_val, y_val), callbacks=callbacks,
    )  # fmt: skip
    return net, history


stopper = EarlyStopping(patience=10)
net_stop, h_stop = train([stopper])
net_full, h_full = train([])
loss_fn = CrossEntropyLoss()
print(f"best epoch {stopper.best_epoch_} (val loss {stopper.best_:.3f}), "
      f"stopped after epoch {stopper.stopped_epoch_}")  # fmt: skip
for name, net in [("early stopping (restored)", net_stop), ("all 150 epochs", net_full)]:
    loss, acc = evaluate(net, loss_fn, X_test, y_test)
    print(f"{name:26s}: test loss {loss:.3f}, test accuracy {acc:.3f}")

# %%
# 细线是不停止时的完整曲线，粗线是带提前停止的那次训练实际走过的部分。

fig, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
ax.plot(h_full.epoch, h_full.train_loss, color="C0", lw=1, alpha=0.6)
ax.plot(h_full.epoch, h_full.val_loss, color="C3", lw=1, alpha=0.6)
ax.plot(h_stop.epoch, h_stop.train_loss, color="C0", lw=2.5, label="train loss")
ax.plot(h_stop.epoch, h_stop.val_loss, color="C3", lw=2.5, label="validation loss")
b, s = stopper.best_epoch_, stopper.stopped_epoch_
ax.axvline(b, color="k", ls="--", lw=1.2, label=f"best epoch {b} (weights restored)")
ax.axvline(s, color="k", ls=":", lw=1.5, label=f"stop after epoch {s} (patience 10)")
ax.plot(b, stopper.best_, "ko", ms=7)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy loss")
ax.grid(alpha=0.3)
ax.legend(fontsize=9, loc="lower left")
plt.show()
