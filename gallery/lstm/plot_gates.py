"""
LSTM 的门和细胞状态随时间的变化
================================

训练一个 LSTM 记住序列第 0 步的符号（4 个符号之一，之后 19 步是噪声），再把一条序列上三个门 :math:`i, f, o`、候选值 :math:`g = \\tilde C_t` 和细胞状态 :math:`C_t` 的值画成热图：横轴是时间步，纵轴是隐藏单元。门的值由 ``LSTM.gates`` 给出，细胞状态由 ``LSTM.cell_states`` 给出。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import LSTM, LastStep, Linear, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import Adam, clip_grad_norm
from dlnotes.train import accuracy

K, H, T, BATCH, STEPS = 4, 8, 20, 32, 500


def make_batch(n, rng):
    """Symbol at t = 0 (one-hot), then T - 1 steps of noise; label = the symbol."""
    y = rng.integers(0, K, size=n)
    x = 0.5 * rng.normal(size=(n, T, K))
    x[:, 0] = np.eye(K)[y]
    return x, y


rng = np.random.default_rng(0)
lstm = LSTM(K, H, rng=rng)
lstm.bias_ih.value[H : 2 * H] = 3.0  # forget-gate bias: start with f = 0.95
lstm.bias_hh.value[H : 2 * H] = 0.0
net = Sequential(lstm, LastStep(), Linear(H, K, rng=rng))
loss_fn, opt = CrossEntropyLoss(), Adam(net.parameters(), lr=0.01)
for _ in range(STEPS):
    x, y = make_batch(BATCH, rng)
    loss_fn.forward(net.forward(x), y)
    net.backward(loss_fn.backward())
    clip_grad_norm(net.parameters(), 1.0)
    opt.step()

x, y = make_batch(500, np.random.default_rng(1))
print(f"test accuracy: {accuracy(net.forward(x, training=False), y):.3f}")

# %%
# 取一条测试序列，画出它在每一步、每个单元上的门值和细胞状态。

net.forward(x[:1], training=False)
panels = [
    ("input gate $i_t$", lstm.gates["i"][0], "viridis", (0, 1)),
    ("forget gate $f_t$", lstm.gates["f"][0], "viridis", (0, 1)),
    (r"candidate $g_t = \tilde C_t$", lstm.gates["g"][0], "RdBu_r", (-1, 1)),
    ("output gate $o_t$", lstm.gates["o"][0], "viridis", (0, 1)),
]
c = lstm.cell_states[0]
cmax = np.abs(c).max()
panels.append(("cell state $C_t$", c, "RdBu_r", (-cmax, cmax)))

fig, axes = plt.subplots(1, 5, figsize=(10, 3.6), sharey=True, layout="constrained")
for ax, (title, values, cmap, (lo, hi)) in zip(axes, panels, strict=True):
    im = ax.imshow(values.T, aspect="auto", cmap=cmap, vmin=lo, vmax=hi, origin="lower")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("step $t$")
    fig.colorbar(im, ax=ax, orientation="horizontal", fraction=0.08, pad=0.02)
axes[0].set_ylabel("hidden unit")
fig.suptitle(f"one sequence, symbol {y[0]} at $t = 0$, then noise")
plt.show()

# %%
# 遗忘门几乎在每一步、每个单元上都接近 1，旧记忆基本不被丢弃。候选值 :math:`\tilde C_t` 在最初几步之后稳定为一个由符号决定的正负模式：它由 :math:`[h_{t-1}, x_t]` 算出，网络学会了几乎不理会噪声输入。细胞状态逐步累加这个模式，其各分量的正负号在第 0 步之后很快确定并一直保持到最后一步；输出门再决定其中哪些分量通过 :math:`h_t` 交给分类层。
