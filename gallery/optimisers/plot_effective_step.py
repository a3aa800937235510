"""
Adagrad 与 RMSprop 的有效学习率
================================

Adagrad 和 RMSprop 都把学习率 :math:`\\eta` 除以梯度平方的某种累积量的平方根，得到每个坐标自己的**有效学习率** :math:`\\eta / (\\sqrt{r_t} + \\varepsilon)`。区别在于 :math:`r_t` 的算法：Adagrad 把所有梯度平方加起来，RMSprop 取它们的指数滑动平均。本例让两者接收同一串带噪声的梯度，观察有效学习率随时间的变化。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import Parameter
from dlnotes.optim import Adagrad, RMSprop

# %%
# 一个二维参数接收 1000 步梯度：第 1 个坐标的梯度是均值 1、标准差 0.5 的正态噪声，第 2 个坐标的梯度再缩小 100 倍；从第 500 步起，两个坐标的梯度都再缩小 10 倍（好比训练进入了平坦区域）。梯度直接写进 ``Parameter.grad``，两个优化器的学习率都是 :math:`\eta = 0.01`，RMSprop 取 :math:`\rho = 0.99`。每步之后从优化器的状态 ``state[0]`` 中读出 :math:`r_t`，算出有效学习率。

rng = np.random.default_rng(0)
T = 1000
scale = np.where(np.arange(T) < 500, 1.0, 0.1)[:, None] * np.array([1.0, 0.01])
grads = (1.0 + 0.5 * rng.normal(size=(T, 2))) * scale
lr = 0.01

effective = {}
for name, make, key in [
    ("Adagrad", lambda p: Adagrad(p, lr), "sum"),
    ("RMSprop", lambda p: RMSprop(p, lr, alpha=0.99), "square_avg"),
]:
    w = Parameter([0.0, 0.0])
    opt = make([w])
    rates = []
    for g in grads:
        w.grad = g
        opt.step()
        rates.append(lr / (np.sqrt(opt.state[0][key]) + opt.eps))
    effective[name] = np.array(rates)
    for t in (1, 10, 100, 500, 1000):
        print(f"{name:8s} t={t:4d} effective lr = {effective[name][t - 1].round(5)}")

# %%
# 左图是两个坐标的梯度（绝对值，对数纵轴），右图是有效学习率（对数纵轴）。实线是梯度较大的第 1 个坐标，虚线是梯度小 100 倍的第 2 个坐标。

steps = np.arange(1, T + 1)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
axes[0].plot(steps, np.abs(grads[:, 0]), color="0.3", lw=0.6, label=r"$|g_{t,1}|$")
axes[0].plot(steps, np.abs(grads[:, 1]), color="0.6", lw=0.6, label=r"$|g_{t,2}|$")
axes[0].set_yscale("log")
axes[0].set_xlabel("step $t$")
axes[0].set_ylabel("gradient magnitude")
axes[0].set_title("gradient stream (shrinks 10x at t = 500)")
axes[0].legend(fontsize=9)
for i, name in enumerate(effective):
    for k, ls in ((0, "-"), (1, "--")):
        axes[1].plot(
            steps,
            effective[name][:, k],
            ls,
            color=f"C{i}",
            lw=1.6,
            label=f"{name}, coordinate {k + 1}",
        )
axes[1].set_yscale("log")
axes[1].set_xlabel("step $t$")
axes[1].set_ylabel(r"$\eta / (\sqrt{r_t} + \varepsilon)$")
axes[1].set_title(r"effective learning rate, $\eta$ = 0.01")
axes[1].set_ylim(1e-4, 1e3)
axes[1].legend(fontsize=8, loc="upper center", ncol=2)
for ax in axes:
    ax.grid(alpha=0.3)
    ax.axvline(500, color="k", lw=0.8, ls=":")
plt.show()

# %%
# 两点值得注意。第一，两个优化器都按坐标调整学习率：梯度小 100 倍的第 2 个坐标，有效学习率大约大 100 倍，于是两个坐标每步移动的距离 :math:`\eta\, g/\sqrt{r}` 相近。第二，Adagrad 的 :math:`r_t` 是梯度平方的总和，梯度大小稳定时 :math:`r_t \approx t\,\overline{g^2}`，有效学习率按 :math:`1/\sqrt t` 一路下降；第 500 步之后梯度变小了，它的有效学习率也几乎不回升，因为前面积累的大梯度永远留在总和里。RMSprop 的 :math:`r_t` 是最近约 :math:`1/(1-\rho) = 100` 步的平均，有效学习率很快稳定在 :math:`\eta/\sqrt{\overline{g^2}}` 附近，梯度变小后，它在几百步内升高了约 7 倍（并继续向 10 倍靠近），跟上了新的梯度尺度。
