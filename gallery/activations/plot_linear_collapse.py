"""
没有激活函数，深度等于一层
==========================

把三个全连接层 :math:`1\\to 16\\to 16\\to 1` 直接首尾相连，中间不加任何激活函数。无论权重取什么值，这样的“深度”网络只能表示一条直线 :math:`y = kx + b`；在层与层之间插入 tanh 之后，同样的权重就能画出曲线。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import Linear, Sequential, Tanh, merge_linear

rng = np.random.default_rng(0)
l1, l2, l3 = Linear(1, 16, rng=rng), Linear(16, 16, rng=rng), Linear(16, 1, rng=rng)

x = np.linspace(-3, 3, 301).reshape(-1, 1)
deep_linear = Sequential(l1, l2, l3)
one_layer = merge_linear(l1, l2, l3)
deep_tanh = Sequential(l1, Tanh(), l2, Tanh(), l3)

y_deep = deep_linear(x)
y_one = one_layer(x)
y_tanh = deep_tanh(x)
k, b = one_layer.weight.value.item(), one_layer.bias.value.item()

print(f"merged layer y = k x + b: k = {k:.4f}, b = {b:.4f}")
print(f"max |3 layers - merged layer| = {np.abs(y_deep - y_one).max():.1e}")

# %%
# 左图：三层线性网络的输出（粗线）与 ``merge_linear`` 合并出的单层网络的输出（虚线）完全重合，两者之差只有浮点舍入误差。右图：同样的三组权重，层间加上 tanh 后输出变成了一条曲线。

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.6), sharex=True, layout="constrained")

ax0.plot(x, y_deep, lw=5, alpha=0.35, color="C0", label="3 Linear layers")
ax0.plot(x, y_one, "--", lw=2, color="C1", label="merge_linear (1 layer)")
ax0.set_title("no activation between layers")
ax0.text(
    0.04,
    0.06,
    f"$y = {k:.3f}\\,x {b:+.3f}$",
    transform=ax0.transAxes,
    fontsize=12,
    bbox={"facecolor": "white", "edgecolor": "0.7"},
)

ax1.plot(x, y_deep, ":", lw=2, color="0.5", label="no activation")
ax1.plot(x, y_tanh, lw=2.2, color="C2", label="tanh between layers")
ax1.set_title("same weights, tanh between layers")

for ax in (ax0, ax1):
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.set_xlabel(r"$x$")
    ax.set_ylabel(r"$y$")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
plt.show()

# %%
# 原因只是矩阵乘法的结合律。两层线性变换相连时，
#
# .. math::
#
#    W_2(W_1 x + b_1) + b_2 = (W_2 W_1)\,x + (W_2 b_1 + b_2),
#
# 右边仍是“一个矩阵乘 :math:`x` 再加一个向量”，即一层线性变换；依次合并下去，任意多层都是如此。本例输入输出都是一维，合并后的 :math:`W` 与 :math:`b` 就是直线的斜率 :math:`k` 和截距 :math:`b`。
#
# 激活函数打破了这种结合：:math:`W_2\,\tanh(W_1 x + b_1) + b_2` 无法写成 :math:`Wx + b` 的形式，网络加深才真正增加了它能表示的函数。
