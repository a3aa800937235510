"""
softmax：把得分变成概率分布
===========================

多分类网络最后一层输出的是每个类别的得分 :math:`z_k`\\ （logits），可正可负，也不必加起来等于 1。softmax 先取指数使其全为正，再除以总和：:math:`\\mathrm{softmax}(z)_k = e^{z_k} / \\sum_j e^{z_j}`，得到一个各项为正、总和为 1 的概率分布，得分最高的类别概率也最大。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import activations as F

z = np.array([2.0, 1.0, 0.1, -1.0])
p = F.softmax(z)
print("z            =", z)
print("softmax(z)   =", p.round(4), " sum =", p.sum())

# %%
# 给所有得分加上同一个常数 :math:`c`，结果不变，因为分子分母同乘了 :math:`e^{c}`。实现时正是利用这一点，先减去最大得分再取指数，否则 :math:`e^{1000}` 会溢出。``dlnotes.activations.softmax`` 就是这样做的：

print("softmax(z + 1000) =", F.softmax(z + 1000).round(4))
print("softmax(z - 1000) =", F.softmax(z - 1000).round(4))
print("same result:", np.allclose(F.softmax(z + 1000), p))

# %%
# 左图是得分，中图是 softmax 之后的概率（柱上标注数值）。右图把得分先除以温度 :math:`T` 再做 softmax：:math:`T < 1` 使分布更尖锐，接近只取最大者（one-hot）；:math:`T > 1` 使分布更平坦，趋向均匀分布 :math:`1/4`。

temperatures = [0.5, 1, 2, 5]
k = np.arange(1, len(z) + 1)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), layout="constrained")

axes[0].bar(k, z, color="C0", width=0.6)
axes[0].axhline(0, color="k", lw=0.8)
axes[0].set_ylabel(r"score $z_k$")
axes[0].set_title(r"scores $z$")
for xi, zi in zip(k, z, strict=True):
    axes[0].text(
        xi,
        zi + (0.08 if zi >= 0 else -0.08),
        f"${zi:g}$",
        ha="center",
        va="bottom" if zi >= 0 else "top",
    )
axes[0].set_ylim(-1.5, 2.5)

axes[1].bar(k, p, color="C1", width=0.6)
for xi, pi in zip(k, p, strict=True):
    axes[1].text(xi, pi + 0.015, f"{pi:.3f}", ha="center", va="bottom")
axes[1].text(
    0.95,
    0.92,
    rf"$p_1 + p_2 + p_3 + p_4 = {p.sum():g}$",
    transform=axes[1].transAxes,
    ha="right",
    fontsize=11,
)
axes[1].set_ylim(0, 1)
axes[1].set_ylabel(r"probability $p_k$")
axes[1].set_title(r"$p = \mathrm{softmax}(z)$")

width = 0.8 / len(temperatures)
colors = plt.cm.viridis(np.linspace(0.1, 0.85, len(temperatures)))
for i, (T, color) in enumerate(zip(temperatures, colors, strict=True)):
    offset = (i - (len(temperatures) - 1) / 2) * width
    axes[2].bar(k + offset, F.softmax(z / T), width=width, color=color, label=f"$T={T:g}$")
axes[2].axhline(1 / len(z), color="0.4", ls=":", lw=1, label="uniform $1/4$")
axes[2].set_ylim(0, 1)
axes[2].set_ylabel(r"probability $p_k$")
axes[2].set_title(r"$\mathrm{softmax}(z/T)$")
axes[2].legend(loc="upper right", fontsize=9)

for ax in axes:
    ax.set_xticks(k)
    ax.set_xlabel(r"class $k$")
plt.show()

# %%
# softmax 的输出可以直接解释为“样本属于第 :math:`k` 类的概率”，因此它是多分类问题输出层的标准选择，并与交叉熵损失配合使用。注意它不是逐元素的激活函数：每个输出都依赖全部得分，改变一个 :math:`z_j` 会让所有 :math:`p_k` 一起变化。二分类时，对两个得分 :math:`(z, 0)` 做 softmax 恰好得到 :math:`\sigma(z)`，即 sigmoid 是 softmax 的特例。
