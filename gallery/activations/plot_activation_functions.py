"""
激活函数及其导数
================

把 :ref:`ch-activations` 一章介绍的六个逐元素激活函数画在一起：实线是函数 :math:`f(x)`，虚线是导数 :math:`f'(x)`。导数决定了反向传播时梯度能否顺利通过这一层，所以两条曲线要放在一起看。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import activations as F

x = np.linspace(-5, 5, 1001)
panels = [
    (r"sigmoid  $\sigma(x)$", F.sigmoid(x), F.sigmoid_grad(x)),
    (r"tanh", F.tanh(x), F.tanh_grad(x)),
    (r"softsign  $x/(1+|x|)$", F.softsign(x), F.softsign_grad(x)),
    (r"ReLU  $\max(0,x)$", F.relu(x), F.relu_grad(x)),
    (r"LeakyReLU  $\alpha=0.1$", F.leaky_relu(x, 0.1), F.leaky_relu_grad(x, 0.1)),
    (r"softplus  $\ln(1+e^x)$", F.softplus(x), F.softplus_grad(x)),
]

fig, axes = plt.subplots(2, 3, figsize=(10, 6), sharex=True, layout="constrained")
for ax, (title, y, dy) in zip(axes.flat, panels, strict=True):
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.plot(x, y, lw=2.2, label=r"$f(x)$")
    ax.plot(x, dy, "--", lw=2, label=r"$f'(x)$")
    ax.set_title(title)
    ax.set_ylim(-1.3, 2.3)
    ax.grid(alpha=0.3)
for ax in axes[1]:
    ax.set_xlabel(r"$x$")
axes[0, 0].legend(loc="upper left")
plt.show()

# %%
# 几点值得注意的地方：
#
# * sigmoid 的导数最大只有 :math:`1/4`，出现在 :math:`x=0` 处；tanh 的导数最大为 1。
# * 当 :math:`|x|` 较大时，sigmoid、tanh、softsign 的导数都趋于 0，即进入饱和区；softsign 的尾部按多项式衰减，比前两者慢。
# * ReLU 在 :math:`x<0` 时导数恒为 0，LeakyReLU 在那里保留了斜率 :math:`\alpha`。
# * softplus 的导数恰好就是 sigmoid（虚线与左上角的实线相同）。
