"""
sigmoid 的饱和与导数连乘
========================

sigmoid 的导数最大只有 :math:`1/4`，而且当 :math:`|x|` 稍大时就几乎为 0（饱和）。反向传播时，每经过一层都要乘上该层激活函数的导数，层数一多，这些小于 1 的因子连乘起来，梯度就按指数速度缩小。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import activations as F
from dlnotes.layers import Linear, ReLU, Sequential, Sigmoid, Tanh

SAT = 0.01  # sigma'(x) below this counts as saturated
x = np.linspace(-8, 8, 1601)
x_sat = x[(F.sigmoid_grad(x) >= SAT) & (x > 0)].max()
print(f"sigma'(x) < {SAT} for |x| > {x_sat:.2f}")

# %%
# 为了用真实的数值说明连乘的效果，搭一个 30 层的网络，每层是 ``Linear(64, 64)`` 加激活函数，用标准正态输入做一次前向传播，记下每层的预激活值 :math:`z_l`。沿网络随机选一条路径（每层选一个单元），把路径上的导数连乘 :math:`\prod_{l=1}^{n} f'(z_l)`，对 4096 条路径取中位数；ReLU 只沿激活的单元（:math:`z_l > 0`）选路径。权重先用 ``Linear`` 的默认初始化，再试一次把权重放大到 4 倍，使预激活值更大、更容易落入饱和区。

depth, width, n_samples, n_paths = 30, 64, 256, 16
rng = np.random.default_rng(0)
x_in = rng.normal(size=(n_samples, width))


def pre_activations(act, weight_scale):
    """Forward x_in through `depth` Linear+act blocks; return each block's z."""
    layers = []
    for _ in range(depth):
        linear = Linear(width, width, rng=rng)
        linear.weight.value *= weight_scale
        layers += [linear, act()]
    h, zs = x_in, []
    for layer in Sequential(*layers):
        h = layer(h)
        if isinstance(layer, Linear):
            zs.append(h)
    return zs


def path_products(zs, grad, active_only=False):
    """Median over random paths of prod_{l<=n} f'(z_l), for n = 1..depth."""
    log_prod = np.zeros((n_samples, n_paths))
    medians = []
    for z in zs:
        if active_only:  # pick among units with z > 0 on this sample
            ranks = rng.random((n_samples, width)) + (z > 0)
            units = np.argsort(-ranks, axis=1)[:, :n_paths]
        else:
            units = rng.integers(width, size=(n_samples, n_paths))
        log_prod += np.log10(grad(np.take_along_axis(z, units, axis=1)))
        medians.append(10 ** np.median(log_prod))
    return np.array(medians)


n = np.arange(1, depth + 1)
curves = {
    "ReLU, active units": path_products(pre_activations(ReLU, 1), F.relu_grad, True),
    "sigmoid": path_products(pre_activations(Sigmoid, 1), F.sigmoid_grad),
    "sigmoid, 4W": path_products(pre_activations(Sigmoid, 4), F.sigmoid_grad),
    "tanh": path_products(pre_activations(Tanh, 1), F.tanh_grad),
    "tanh, 4W": path_products(pre_activations(Tanh, 4), F.tanh_grad),
}
for name, c in curves.items():
    print(f"{name:>18}: n=10 {c[9]:.1e}   n=30 {c[29]:.1e}")
print(f"{'(1/4)^n':>18}: n=10 {0.25**10:.1e}   n=30 {0.25**30:.1e}")

# %%
# 左图：sigmoid（实线）与它的导数（虚线），灰色区域是 :math:`\sigma'(x) < 0.01` 的饱和区（约 :math:`|x| > 4.6`），导数在 :math:`x = 0` 处取最大值 :math:`1/4`。右图：纵轴为对数刻度，黑色虚线是上界 :math:`(1/4)^n`。

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")

ax0.axvspan(x[0], -x_sat, color="0.85", label=rf"saturated: $\sigma'(x)<{SAT}$")
ax0.axvspan(x_sat, x[-1], color="0.85")
ax0.axhline(0, color="0.6", lw=0.8)
ax0.plot(x, F.sigmoid(x), lw=2.2, label=r"$\sigma(x)$")
ax0.plot(x, F.sigmoid_grad(x), "--", lw=2, label=r"$\sigma'(x)$")
ax0.plot(0, 0.25, "o", color="C1")
ax0.annotate(
    r"$\sigma'(0)=1/4$",
    xy=(0, 0.25),
    xytext=(-4.2, 0.42),
    fontsize=11,
    arrowprops={"arrowstyle": "->", "color": "0.3"},
)
ax0.set_xlim(x[0], x[-1])
ax0.set_ylim(-0.05, 1.05)
ax0.set_xlabel(r"$x$")
ax0.set_title("sigmoid and its derivative")
ax0.legend(loc="upper left", bbox_to_anchor=(0.01, 0.8), fontsize=9)

styles = {
    "ReLU, active units": ("C2", "-", 4),
    "sigmoid": ("C0", "-", 2),
    "sigmoid, 4W": ("C0", ":", 2),
    "tanh": ("C1", "-", 2),
    "tanh, 4W": ("C1", ":", 2),
}
for name, c in curves.items():
    color, ls, lw = styles[name]
    ax1.plot(n, c, ls, color=color, lw=lw, label=name)
ax1.plot(n, 0.25**n, "--", color="k", lw=1.5, label=r"$(1/4)^n$")
ax1.set_yscale("log")
ax1.set_xlim(1, depth)
ax1.set_xlabel(r"depth $n$")
ax1.set_ylim(1e-26, 1e3)
ax1.set_yticks(10.0 ** np.arange(-24, 1, 4))
ax1.set_ylabel(r"$f'(z_1)\,f'(z_2)\cdots f'(z_n)$")
ax1.set_title("product of local derivatives")
ax1.grid(alpha=0.3, which="major")
ax1.legend(loc="lower left", fontsize=9)
plt.show()

# %%
# 从右图可以读出：
#
# * 无论权重多大，sigmoid 的曲线都在 :math:`(1/4)^n` 之下：30 层后导数之积不到 :math:`10^{-18}`，梯度传到前几层时已经小到无法更新参数。权重放大后预激活值更多地落入饱和区，衰减得更快。
# * tanh 的导数最大为 1，默认初始化下预激活值很小、导数接近 1，连乘几乎不衰减；但权重一大，tanh 同样会饱和，衰减甚至比同样放大权重的 sigmoid 还快。
# * ReLU 在正半轴上的导数恒为 1，沿着激活的单元连乘不会缩小，这是深层网络偏爱 ReLU 的主要原因。
#
# 这里只看了激活函数的导数；真实的梯度还要乘上各层的权重矩阵，“梯度消失与梯度爆炸”一章会把两者放在一起讨论。
