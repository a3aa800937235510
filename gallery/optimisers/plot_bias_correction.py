"""
Adam 的偏差修正
===============

Adam 的两个滑动平均 :math:`m_t` 和 :math:`v_t` 都从 0 开始，最初几步会被 0 拉低。偏差修正把它们分别除以 :math:`1 - \\beta_1^t` 和 :math:`1 - \\beta_2^t`。本例比较开启和关闭偏差修正时（``Adam(..., bias_correction=False)``）Adam 最初 200 步的行为。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import Parameter
from dlnotes.optim import Adam

# %%
# 一个标量参数接收一串平稳的带噪声梯度 :math:`g_t \sim \mathcal N(1, 0.3^2)`，所以 :math:`\mathbb E[g] = 1`，:math:`\mathbb E[g^2] = 1.09`。两个 Adam 的学习率都是 :math:`\eta = 0.01`，:math:`\beta_1 = 0.9`，:math:`\beta_2 = 0.999`，接收完全相同的梯度。每步记下优化器状态中的 :math:`m_t`\ （``exp_avg``）和参数的实际移动量 :math:`|\Delta w_t|`。

rng = np.random.default_rng(0)
T = 200
grads = 1.0 + 0.3 * rng.normal(size=T)
lr, beta1, beta2 = 0.01, 0.9, 0.999

runs = {}
for corrected in (True, False):
    w = Parameter([0.0])
    opt = Adam([w], lr=lr, betas=(beta1, beta2), bias_correction=corrected)
    m, step = [], []
    for g in grads:
        before = w.value.copy()
        w.grad = np.array([g])
        opt.step()
        m.append(opt.state[0]["exp_avg"].item())
        step.append(abs((w.value - before).item()))
    runs[corrected] = (np.array(m), np.array(step))

t = np.arange(1, T + 1)
m_raw = runs[True][0]  # m_t is the same in both runs: the correction only changes the step
for k in (1, 2, 5, 10, 50, 200):
    print(
        f"t={k:3d}  m_t={m_raw[k - 1]:.3f}  m_t/(1-beta1^t)={m_raw[k - 1] / (1 - beta1**k):.3f}  "
        f"step/lr with correction {runs[True][1][k - 1] / lr:.2f}, without {runs[False][1][k - 1] / lr:.2f}"
    )

# %%
# 左图：:math:`m_t` 从 0 出发，逐渐升到梯度的均值 1；虚线是推导出的期望 :math:`\mathbb E[m_t] = (1 - \beta_1^t)\,\mathbb E[g]`，除以 :math:`1 - \beta_1^t` 后的 :math:`\hat m_t` 从第 1 步起就在 1 附近。右图：每步的实际移动量除以 :math:`\eta`\ （对数横轴）。

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
axes[0].plot(t, grads, color="0.75", lw=0.8, label=r"$g_t$")
axes[0].plot(t, m_raw, color="C3", lw=1.8, label=r"$m_t$ (raw)")
axes[0].plot(t, (1 - beta1**t) * 1.0, "k--", lw=1, label=r"$(1-\beta_1^t)\,\mathbb{E}[g]$")
axes[0].plot(t, m_raw / (1 - beta1**t), color="C0", lw=1.8, label=r"$\hat m_t = m_t/(1-\beta_1^t)$")
axes[0].set_xlim(0, 50)
axes[0].set_xlabel("step $t$")
axes[0].set_ylabel("value")
axes[0].set_title(r"first moment, $\beta_1 = 0.9$")
axes[0].legend(fontsize=8, loc="lower right")
axes[1].plot(t, runs[True][1] / lr, color="C0", lw=1.8, label="with bias correction")
axes[1].plot(t, runs[False][1] / lr, color="C3", lw=1.8, label="without bias correction")
axes[1].axhline(1, color="k", lw=0.8, ls=":")
axes[1].set_xscale("log")
axes[1].set_xlabel("step $t$ (log scale)")
axes[1].set_ylabel(r"$|\Delta w_t| / \eta$")
axes[1].set_title(r"step size, $\eta$ = 0.01, $\beta_2$ = 0.999")
axes[1].legend(fontsize=8)
for ax in axes:
    ax.grid(alpha=0.3)
plt.show()

# %%
# 修正后，第 1 步的 :math:`\hat m_1 = g_1`、:math:`\hat v_1 = g_1^2`，移动量正好是 :math:`\eta`，之后一直保持在 :math:`\eta` 左右。不修正时，第 1 步的移动量是 :math:`\eta\,(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.2\,\eta`；随后 :math:`m_t` 很快长大而 :math:`v_t` 要约 1000 步才能长到 :math:`\mathbb E[g^2]`，所以步子越来越大，在第 10 步左右超过 :math:`\eta` 的 6 倍，200 步时仍有 2 倍多，要再过上千步才回落到 :math:`\eta`。训练刚开始时参数往往离最优点很远、梯度也最不可靠，这正是最不该迈大步的时候；偏差修正消除了这种与数据无关、只由初始值 0 造成的失真。
