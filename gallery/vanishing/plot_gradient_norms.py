"""
深层网络各层的梯度范数
======================

反向传播把梯度从输出层一层层传回输入层，每经过一层都要乘上该层权重矩阵的转置和激活函数的导数。本例搭一个 20 层的多层感知机，用真实的手写数字作输入，在初始化时（还没有训练）做一次前向和反向传播，比较 sigmoid、tanh 和 ReLU 三种激活函数下，每一层权重梯度的大小。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import activations as F
from dlnotes import init
from dlnotes.data import digits_split
from dlnotes.diagnostics import layer_gradient_norms, pre_activations
from dlnotes.layers import ReLU, Sigmoid, Tanh, mlp
from dlnotes.losses import CrossEntropyLoss

# %%
# 网络有 20 个 ``Linear`` 层：输入 64 维（8×8 像素），19 个宽度为 64 的隐藏层，输出 10 个类别的分数，损失为交叉熵。权重用 ``Linear`` 的默认初始化 :math:`U(-1/\sqrt{n_\text{in}}, 1/\sqrt{n_\text{in}})`\ （与 PyTorch 相同）；作为对照，再用 ReLU 搭配 He 初始化（``init.kaiming_normal_``，偏置为 0）建一个同样的网络。输入是训练集的前 256 张图片。

X_train, _, y_train, _ = digits_split()
x, y = X_train[:256], y_train[:256]
depth, width = 20, 64


def build(act, he=False):
    """A depth-layer MLP 64 -> 64 -> ... -> 10 with `act` between the Linear layers."""
    sizes = [64] + [width] * (depth - 1) + [10]
    weight_init = init.kaiming_normal_ if he else None
    return mlp(sizes, act, rng=np.random.default_rng(0), weight_init=weight_init)


def gradient_norms(net):
    """One forward and backward pass on (x, y); the norm of dL/dW for every layer."""
    loss = CrossEntropyLoss()
    loss(net(x), y)
    net.backward(loss.backward())
    return np.array(layer_gradient_norms(net))


nets = {
    "sigmoid": (build(Sigmoid), F.sigmoid_grad),
    "tanh": (build(Tanh), F.tanh_grad),
    "ReLU": (build(ReLU), F.relu_grad),
    "ReLU + He init": (build(ReLU, he=True), F.relu_grad),
}
norms, dfac = {}, {}
for name, (net, grad) in nets.items():
    norms[name] = gradient_norms(net)
    # mean of phi'(z)^2 over samples and units, for every hidden layer
    dfac[name] = [np.mean(grad(z) ** 2) for z in pre_activations(net, x)[:-1]]
    g = norms[name]
    print(f"{name:>15}: layer 1 {g[0]:.1e}, layer 20 {g[-1]:.1e}, ratio {g[0] / g[-1]:.1e}")

# %%
# 左图：每一层权重梯度的 Frobenius 范数 :math:`\lVert \partial L/\partial W_l \rVert`\ （对数刻度），第 1 层靠近输入，第 20 层是输出层。右图：每个隐藏层上激活函数导数平方的平均值 :math:`\mathbb{E}[\varphi'(z_l)^2]`，它决定梯度每经过一层被缩放多少。

styles = {
    "sigmoid": ("C0", "-"),
    "tanh": ("C1", "-"),
    "ReLU": ("C2", "-"),
    "ReLU + He init": ("C2", "--"),
}
layer = np.arange(1, depth + 1)
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
for name, g in norms.items():
    color, ls = styles[name]
    ax0.plot(layer, g, ls, marker="o", ms=3, color=color, lw=2, label=name)
    ax1.plot(layer[:-1], dfac[name], ls, marker="o", ms=3, color=color, lw=2, label=name)
ax0.set_yscale("log")
ax0.set_xlabel(r"layer $l$ (1 = input side)")
ax0.set_ylabel(r"$\|\partial L/\partial W_l\|$")
ax0.set_title("gradient norm per layer at initialisation")
ax0.set_xticks([1, 5, 10, 15, 20])
ax0.grid(alpha=0.3)
ax0.legend(fontsize=9, loc="lower right")
ax1.set_xlabel(r"hidden layer $l$")
ax1.set_ylabel(r"mean of $\varphi'(z_l)^2$")
ax1.set_title("squared local derivative")
ax1.set_ylim(0, 1.05)
ax1.set_xticks([1, 5, 10, 15, 19])
ax1.grid(alpha=0.3)
plt.show()

# %%
# 从图中可以读出：
#
# * sigmoid 网络的梯度从输出层到第 1 层缩小了约 16 个数量级。它的导数不超过 :math:`1/4`，导数平方的平均值约为 :math:`0.06`，每经过一层梯度都要打一次折扣。
# * tanh 在默认初始化下预激活值很小，导数接近 1，所以衰减慢得多，但仍然缩小了 3 个多数量级。
# * ReLU 在激活单元上的导数为 1，导数平方的平均值约为 :math:`1/2`，可是默认初始化下梯度仍然缩小了约 6 个数量级：默认的权重方差 :math:`1/(3n_\text{in})` 太小，权重矩阵本身也在缩小梯度。
# * 同样的 ReLU 网络换成 He 初始化后，各层梯度的大小基本一致。梯度消失是激活函数导数和权重矩阵共同造成的，两者都要处理。
