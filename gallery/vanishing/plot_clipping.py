"""
梯度裁剪：让爆炸的梯度不再毁掉训练
==================================

权重初始化得太大时，深层 ReLU 网络的梯度会大到上万，一步梯度下降就能把参数推到极远处，损失在几步之内变成 inf 或 NaN。按全局范数裁剪梯度（``optim.clip_grad_norm``）限制了每一步的更新幅度。本例用同一个初始化得过大的网络，比较裁剪与不裁剪的训练过程。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import init
from dlnotes.data import digits_split, minibatches
from dlnotes.layers import Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD, clip_grad_norm

# %%
# 网络为 64 → 64 → … → 10，共 8 个 ``Linear`` 层，层间为 ReLU，偏置为 0。权重取标准差 0.5 的正态分布，即 :math:`n_\text{in}\operatorname{Var}(W) = 16`，是 He 初始化的 8 倍，初始的输出就有上千。三种训练方式都用学习率 0.05、批大小 64 的小批量梯度下降，训练 20 轮：不裁剪；每一步先用 ``clip_grad_norm`` 把梯度的全局范数裁剪到 :math:`c = 1` 再更新；以及作为对照、不裁剪的 He 初始化网络。训练循环是手写的，因为裁剪要插在反向传播和参数更新之间。

X_train, _, y_train, _ = digits_split()
X_train, y_train = X_train[:1344], y_train[:1344]  # 21 full batches of 64
depth, width = 8, 64


def build(std=None):
    """A ReLU MLP with N(0, std^2) weights, or He weights when `std` is None."""
    rng = np.random.default_rng(0)
    sizes = [64] + [width] * (depth - 1) + [10]
    layers = []
    for i in range(depth):
        linear = Linear(sizes[i], sizes[i + 1], rng=rng)
        if std is None:
            init.kaiming_normal_(linear.weight, rng=rng)
        else:
            init.normal_(linear.weight, std, rng=rng)
        init.zeros_(linear.bias)
        layers += [linear, ReLU()] if i < depth - 1 else [linear]
    return Sequential(*layers)


def train(net, max_norm=None, epochs=20):
    """Mini-batch SGD; return the loss and the total gradient norm (before clipping) per step."""
    loss_fn, opt = CrossEntropyLoss(), SGD(net.parameters(), lr=0.05)
    rng = np.random.default_rng(1)
    losses, norms = [], []
    batches = (batch for _ in range(epochs) for batch in minibatches(X_train, y_train, 64, rng=rng))
    for xb, yb in batches:
        opt.zero_grad()
        with np.errstate(all="ignore"):  # the unclipped run overflows on purpose
            out = net(xb)
            if not np.all(np.isfinite(out)):  # diverged: no loss is defined any more
                losses.append(np.nan)
                norms.append(np.nan)
                break
            losses.append(loss_fn(out, yb))
            net.backward(loss_fn.backward())
            if max_norm is None:  # only measure the norm
                norms.append(np.linalg.norm([np.linalg.norm(p.grad) for p in opt.params]))
            else:  # measure, then rescale the gradients in place
                norms.append(clip_grad_norm(opt.params, max_norm))
            opt.step()
    return np.array(losses), np.array(norms)


runs = {
    "N(0, 0.5^2), no clipping": train(build(0.5)),
    "N(0, 0.5^2), clip c = 1": train(build(0.5), max_norm=1.0),
    "He init, no clipping": train(build()),
}
for name, (loss, norm) in runs.items():
    print(f"{name}:")
    print("    loss at steps 1-5:", " ".join(f"{v:.1e}" for v in loss[:5]))
    print(f"    |g| at step 1: {norm[0]:.1e};  loss at step {len(loss)}: {loss[-1]:.2g}")

# %%
# 左图：每一步（一个小批）的损失。不裁剪的那一次从第 2 步起就超出了坐标范围，随后变成 NaN。右图：每一步裁剪之前的梯度全局范数 :math:`\lVert g\rVert`，黑色虚线是裁剪阈值 :math:`c = 1`。两图的坐标轴都是对数刻度。

styles = {
    "N(0, 0.5^2), no clipping": ("C3", r"$\mathcal{N}(0,\,0.5^2)$, no clipping"),
    "N(0, 0.5^2), clip c = 1": ("C0", r"$\mathcal{N}(0,\,0.5^2)$, clip $c=1$"),
    "He init, no clipping": ("C2", "He init, no clipping"),
}
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
for name, (loss, norm) in runs.items():
    color, label = styles[name]
    step = np.arange(1, len(loss) + 1)
    finite = np.isfinite(loss) & np.isfinite(norm)
    ax0.plot(step[finite], loss[finite], color=color, lw=1.5, label=label)
    ax1.plot(step[finite], norm[finite], color=color, lw=1.5, label=label)
    if not finite.all():
        bad = np.flatnonzero(~np.isfinite(loss))[0] + 1
        ax0.annotate(
            f"off the scale; loss NaN from step {bad}",
            xy=(1.6, 3e4),
            xytext=(3, 1.5e4),
            fontsize=9,
            color=color,
            arrowprops={"arrowstyle": "->", "color": color},
        )
ax1.axhline(1.0, color="k", ls="--", lw=1, label=r"threshold $c$")
for ax in (ax0, ax1):
    ax.set_yscale("log")
    ax.set_xscale("log")
    ax.set_xlabel("step (mini-batch update)")
    ax.grid(alpha=0.3)
ax0.set_ylim(1e-3, 1e5)
ax1.set_ylim(1e-1, 1e6)
ax0.set_ylabel("mini-batch loss")
ax0.set_title("loss")
ax1.set_ylabel(r"$\|g\|$ before clipping")
ax1.set_title("total gradient norm")
ax1.legend(fontsize=9, loc="upper right")
plt.show()

# %%
# 从图中可以读出：
#
# * 不裁剪时，第一步的梯度范数就超过 :math:`10^4`，一步更新后损失跳到 :math:`10^{13}`，接着是 :math:`10^{59}`、:math:`10^{256}`，第 5 步溢出为 NaN，训练彻底失败。
# * 裁剪到 :math:`c = 1` 后，每一步参数的变化量不超过 :math:`\eta c = 0.05`，训练始终是有限的数，损失从 7400 左右稳步降到 15 左右；不过梯度范数一直远大于 :math:`c`，几乎每一步都被裁剪，前进得很慢。
# * He 初始化的网络第一步的梯度范数只有 5 左右，之后大多在 1 到 2 之间，损失十几轮后就降到 0.1 以下，最后约为 0.02。裁剪只是防止训练崩溃的“保险丝”，网络本身的尺度问题要靠合适的初始化来解决。
