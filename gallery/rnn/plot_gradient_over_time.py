"""
梯度沿时间消失或爆炸
====================

损失只取最后一个时刻 :math:`T` 的输出，把梯度 :math:`\\partial L/\\partial h_t` 从 :math:`t = T` 一路传回 :math:`t = 1`，看它的范数怎样随时间步变化。循环权重 :math:`W_{hh}` 小，梯度按指数衰减（梯度消失）；大，梯度按指数增长（梯度爆炸）。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import RNN

# %%
# 一个 :math:`D = 1`\ 、\ :math:`H = 32` 的 tanh RNN 读入 :math:`T = 40` 步的小幅随机输入，偏置为 0，循环权重取 :math:`W_{hh} = \gamma Q`\ （\ :math:`Q` 是随机正交矩阵，所以 :math:`\gamma` 就是它放大向量的倍数），:math:`\gamma` 取 0.5、1 和 2。损失是 :math:`L = g^\top h_T`\ （\ :math:`g` 是单位向量），于是 :math:`\partial L/\partial h_T = g`。
#
# ``RNN.backward`` 只返回对输入的梯度和 :math:`\partial L/\partial h_0`\ （属性 ``dh0``），不单独给出中间各步的 :math:`\partial L/\partial h_t`。这里利用一个事实：从 :math:`h_t` 出发、只读后面 :math:`T - t` 步输入的同一个层，它的 ``dh0`` 正是 :math:`\partial L/\partial h_t`。所以每个 :math:`t` 都用层自己的前向和 BPTT 算一次，不在脚本里重写公式。

T, H = 40, 32
rng = np.random.default_rng(0)
x = rng.normal(scale=0.1, size=(1, T, 1))
Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
g = np.ones((1, H)) / np.sqrt(H)


def grad_norms(gamma):
    """Norms of dL/dh_t, t = 1..T, for W_hh = gamma * Q and L = g . h_T."""
    rnn = RNN(1, H, rng=np.random.default_rng(1))
    rnn.weight_hh.value[:] = gamma * Q
    rnn.bias_ih.value[:] = 0.0
    rnn.bias_hh.value[:] = 0.0
    hs = rnn(x)
    norms = []
    for t in range(1, T):  # h_t is hs[:, t - 1]; the rest of the sequence is x[:, t:]
        dout = np.zeros((1, T - t, H))
        dout[:, -1] = g
        rnn(x[:, t:], h0=hs[:, t - 1])
        rnn.backward(dout)
        norms.append(np.linalg.norm(rnn.dh0))
    norms.append(np.linalg.norm(g))  # t = T
    return np.array(norms)


fig, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
steps = np.arange(1, T + 1)
for gamma, colour in [(0.5, "tab:blue"), (1.0, "tab:green"), (2.0, "tab:red")]:
    n = grad_norms(gamma)
    ax.semilogy(steps, n, "o-", ms=3, color=colour, label=rf"$\gamma = {gamma}$")
    print(f"gamma = {gamma}: |dL/dh_1| = {n[0]:.3g}, |dL/dh_T| = {n[-1]:.3g}")
ax.set_xlabel("time step $t$ (loss at $t = T = 40$)")
ax.set_ylabel(r"$\|\partial L/\partial h_t\|$")
ax.set_title(r"tanh RNN, $W_{hh} = \gamma Q$ ($Q$ orthogonal)")
ax.grid(True, which="major", alpha=0.3)
ax.legend()
plt.show()

# %%
# :math:`\gamma = 0.5` 时，梯度每往回一步大约乘 0.5，传到第 1 步时已小到 :math:`10^{-12}` 量级，前面的输入对参数的更新几乎没有贡献；:math:`\gamma = 2` 时梯度往回走一路放大，第 1 步上万；:math:`\gamma = 1` 且 tanh 工作在线性区附近时，范数基本保持不变。
