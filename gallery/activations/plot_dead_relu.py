"""
一步过大的更新就能“杀死” ReLU 单元
==================================

若某个 ReLU 单元的预激活值 :math:`z = w^\\top x + b` 在整个数据集上都 :math:`\\le 0`，它的输出恒为 0，导数也恒为 0，再也收不到梯度，这就是“死亡 ReLU”（dead ReLU）现象。本例从同一组初始权重出发，只做一步梯度下降，看学习率多大时会有单元因此死亡，并与 LeakyReLU 对比。
"""

import copy

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.diagnostics import dead_units
from dlnotes.layers import LeakyReLU, Linear, ReLU, Sequential

# %%
# 数据是 200 个点 :math:`x \in [-1, 1]^2`，回归目标 :math:`t = 5 + \sin 3x_1 \cos 2x_2`，均值约为 5，没有做中心化。网络为 ``Linear(2, 64)`` – ReLU – ``Linear(64, 1)``，损失为 :math:`L = \frac{1}{2N}\sum_n (y_n - t_n)^2`。初始网络的输出接近 0，远小于目标，所以每个样本的误差 :math:`y_n - t_n` 都是负数。

rng = np.random.default_rng(4)
n = 200
X = rng.uniform(-1, 1, size=(n, 2))
t = (5 + np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1])).reshape(-1, 1)
init = Sequential(Linear(2, 64, rng=rng), ReLU(), Linear(64, 1, rng=rng))


def one_step(activation, lr):
    """Copy the initial weights, put `activation` in the middle, take one full-batch GD step."""
    net = Sequential(copy.deepcopy(init[0]), activation, copy.deepcopy(init[2]))
    y = net(X)
    net.backward((y - t) / n)
    for p in net.parameters():
        p.value -= lr * p.grad
    return net


def measure(net):
    """Dead fraction, zero-gradient fraction and loss of `net` on the whole data set."""
    z = net[0](X)
    y = net(X)
    net.backward((y - t) / n)
    no_grad = np.all(net[0].weight.grad == 0, axis=1) & (net[0].bias.grad == 0)
    return dead_units(z).mean(), no_grad.mean(), 0.5 * np.mean((y - t) ** 2)


lrs = np.geomspace(1e-2, 1e1, 25)
relu = np.array([measure(one_step(ReLU(), lr)) for lr in lrs])
leaky = np.array([measure(one_step(LeakyReLU(0.01), lr)) for lr in lrs])
loss0 = measure(copy.deepcopy(init))[2]

print(f"loss before the step: {loss0:.2f}")
print("    lr   ReLU dead  ReLU no-grad  Leaky z<=0  Leaky no-grad   loss after")
for lr, r, k in zip(lrs[::3], relu[::3], leaky[::3], strict=True):
    print(f"{lr:6.2f}  {r[0]:9.1%}  {r[1]:12.1%}  {k[0]:10.1%}  {k[1]:13.1%}  {r[2]:11.3g}")
print(f"units with a negative output weight: {np.mean(init[2].weight.value < 0):.0%}")

# %%
# 左图：横轴是这一步的学习率（对数刻度），纵轴是隐藏单元中的比例；灰色区域里这一步让损失不降反升。右图：学习率为 10 的一步前后，所有样本在 64 个隐藏单元上的预激活值 :math:`z` 的分布；更新后的值按该单元输出权重 :math:`v_j` 的符号分成两组。

lr_bad = lrs[-1]
v = init[2].weight.value.ravel()  # output weight of each hidden unit
z_before = init[0](X)
z_after = one_step(ReLU(), lr_bad)[0](X)
assert np.array_equal(relu[:, 0], relu[:, 1])  # for ReLU, dead units are exactly the no-grad ones

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")

bad = lrs[relu[:, 2] > loss0]
ax0.axvspan(bad.min(), lrs[-1], color="0.9", label="step increases loss")
ax0.plot(lrs, relu[:, 0], "o-", color="C0", lw=2, ms=5, label="ReLU: dead (zero gradient)")
ax0.plot(
    lrs, leaky[:, 0], "s", color="C1", mfc="none", ms=6, label=r"LeakyReLU: $z\leq 0$ on all data"
)
ax0.plot(lrs, leaky[:, 1], "-", color="C1", lw=2.5, label="LeakyReLU: zero gradient")
ax0.set_xscale("log")
ax0.set_xlim(lrs[0], lrs[-1])
ax0.set_ylim(-0.03, 0.7)
ax0.set_xlabel(r"learning rate $\eta$ of the single step")
ax0.set_ylabel("fraction of hidden units")
ax0.set_title("after one gradient-descent step")
ax0.grid(alpha=0.3)
ax0.legend(loc="upper left", fontsize=8.5)

bins = np.linspace(-6, 6, 61)
ax1.hist(z_before.ravel(), bins=bins, histtype="step", color="k", lw=1.5, label="before")
for mask, color, name in [(v < 0, "C3", r"$v_j<0$"), (v > 0, "C0", r"$v_j>0$")]:
    z = z_after[:, mask].ravel()
    label = rf"after, {name} ({np.mean(z <= 0):.0%} $\leq 0$)"
    ax1.hist(z, bins=bins, color=color, alpha=0.55, label=label)
ax1.axvline(0, color="k", lw=1, ls=":")
ax1.set_ylim(0, 1.4 * ax1.get_ylim()[1])
ax1.set_xlabel(r"pre-activation $z$ (all samples, all units)")
ax1.set_ylabel("count")
ax1.set_title(rf"hidden pre-activations, step with $\eta={lr_bad:g}$")
ax1.legend(loc="upper left", fontsize=9)
plt.show()

# %%
# 学习率小于约 0.3 时，这一步让损失下降，死亡单元的比例保持在初始时的 6%（初始化后就有 4 个单元在整个数据集上为负）。学习率再大，这一步本身就“走过了头”；超过 0.7 左右，死亡比例迅速上升，:math:`\eta = 10` 时达到 45%。
#
# 原因在于偏置的梯度。对第 :math:`j` 个隐藏单元，:math:`\partial L/\partial b_j = \frac1N \sum_n (y_n - t_n)\, v_j\, \mathrm{relu}'(z_{nj})`，其中 :math:`v_j` 是它的输出权重。这里所有误差 :math:`y_n - t_n` 都为负，于是凡是 :math:`v_j < 0` 的单元，偏置梯度都为正，一大步更新把 :math:`b_j` 推成很大的负数，:math:`z` 往往在所有样本上都落到 0 以下；:math:`v_j > 0` 的单元则被推向正方向。右图正是如此：更新后 :math:`v_j < 0` 的单元有 94% 的预激活值 :math:`\le 0`。本例中 :math:`v_j < 0` 的单元占 48%，学习率很大时，死亡比例就趋近这个数。
#
# 死亡的 ReLU 单元在之后的每一步里梯度都恰好为 0（死亡单元与零梯度单元完全是同一批，见上面打印的表格），梯度下降无法让它复活。LeakyReLU 的单元同样会被推到负半轴（左图中的橙色方框与 ReLU 的曲线几乎重合），但负半轴上的导数是 :math:`\alpha = 0.01` 而不是 0，所以梯度为零的单元比例始终为 0，之后的更新仍可能把它们拉回来。这也是实践中学习率不宜过大、并要对输入和目标值做标准化的原因。
