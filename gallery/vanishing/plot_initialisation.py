"""
初始化的尺度：太小则梯度消失，太大则梯度爆炸
============================================

权重初始化的方差决定了信号和梯度每经过一层被放大还是缩小。本例在同一个 20 层的 ReLU 网络上比较四种初始化：标准差固定为 0.01 的正态分布（太小）、Xavier 初始化、He 初始化和标准差固定为 0.2 的正态分布（太大），同时观察前向传播中激活值的大小和反向传播中梯度的大小。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes import init
from dlnotes.data import digits_split
from dlnotes.diagnostics import layer_gradient_norms, pre_activations
from dlnotes.layers import Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss

# %%
# 网络为 64 → 128 → … → 128 → 10，共 20 个 ``Linear`` 层，层间为 ReLU，偏置全部为 0。隐藏层的 :math:`n_\text{in} = 128`，所以四种初始化下 :math:`n_\text{in}\operatorname{Var}(W)` 分别约为 0.013、1、2 和 5.1；ReLU 把一半的输入置 0，每层信号方差的缩放因子约为它的一半。

X_train, _, y_train, _ = digits_split()
x, y = X_train[:256], y_train[:256]
depth, width = 20, 128
schemes = {
    "N(0, 0.01^2)": lambda p, rng: init.normal_(p, 0.01, rng=rng),
    "Xavier": lambda p, rng: init.xavier_normal_(p, rng=rng),
    "He": lambda p, rng: init.kaiming_normal_(p, rng=rng),
    "N(0, 0.2^2)": lambda p, rng: init.normal_(p, 0.2, rng=rng),
}


def build(scheme):
    """A ReLU MLP whose weights are drawn by `scheme` and whose biases are 0."""
    rng = np.random.default_rng(0)
    sizes = [64] + [width] * (depth - 1) + [10]
    layers = []
    for i in range(depth):
        linear = Linear(sizes[i], sizes[i + 1], rng=rng)
        scheme(linear.weight, rng)
        init.zeros_(linear.bias)
        layers += [linear, ReLU()] if i < depth - 1 else [linear]
    return Sequential(*layers)


def backward_norms(net, dout):
    """Back-propagate layer by layer; the norm of dL/dh_{l-1}, the input gradient of each Linear."""
    norms = []
    for layer in reversed(list(net)):
        dout = layer.backward(dout)
        if isinstance(layer, Linear):
            norms.append(np.linalg.norm(dout))
    return norms[::-1]


forward_std, input_grad, weight_grad = {}, {}, {}
for name, scheme in schemes.items():
    net = build(scheme)
    forward_std[name] = [z.std() for z in pre_activations(net, x)]
    loss = CrossEntropyLoss()
    loss(net(x), y)
    input_grad[name] = backward_norms(net, loss.backward())
    weight_grad[name] = layer_gradient_norms(net)
    print(
        f"{name:>12}: std(z_1) {forward_std[name][0]:.0e}, std(z_20) {forward_std[name][-1]:.0e};"
        f" |dL/dh_0| {input_grad[name][0]:.0e}, |dL/dh_19| {input_grad[name][-1]:.0e};"
        f" |dL/dW_l| {min(weight_grad[name]):.0e}..{max(weight_grad[name]):.0e}"
    )

# %%
# 左图：每一层预激活值 :math:`z_l` 的标准差（前向传播）。中图：反向传播到第 :math:`l` 层输入的梯度 :math:`\partial L/\partial h_{l-1}` 的范数。右图：每一层权重梯度 :math:`\partial L/\partial W_l` 的范数。三幅图的纵轴都是对数刻度。

layer = np.arange(1, depth + 1)
labels = {
    "N(0, 0.01^2)": r"$\mathcal{N}(0,\,0.01^2)$",
    "Xavier": "Xavier",
    "He": "He (Kaiming)",
    "N(0, 0.2^2)": r"$\mathcal{N}(0,\,0.2^2)$",
}
fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(10, 3.8), layout="constrained")
for i, name in enumerate(schemes):
    kw = {"marker": "o", "ms": 3, "lw": 2, "color": f"C{i}", "label": labels[name]}
    ax0.plot(layer, forward_std[name], **kw)
    ax1.plot(layer, input_grad[name], **kw)
    ax2.plot(layer, weight_grad[name], **kw)
for ax in (ax0, ax1, ax2):
    ax.set_yscale("log")
    ax.set_xlabel(r"layer $l$ (1 = input side)")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.grid(alpha=0.3)
ax0.set_ylabel(r"std of $z_l$")
ax0.set_title("forward: pre-activations")
ax1.set_ylabel(r"$\|\partial L/\partial h_{l-1}\|$")
ax1.set_title("backward: input gradients")
ax2.set_ylabel(r"$\|\partial L/\partial W_l\|$")
ax2.set_title("weight gradients")
ax0.legend(fontsize=9, loc="lower left")
plt.show()

# %%
# 从图中可以读出：
#
# * 标准差 0.01 太小：前向的信号每层缩小约 10 倍，20 层后预激活值只有 :math:`10^{-22}` 左右，网络的输出与输入几乎无关；反向的梯度同样每层缩小约 10 倍，传到输入端时只剩 :math:`10^{-23}` 左右。权重梯度 :math:`\partial L/\partial W_l = \delta_l h_{l-1}^\top` 是一个前向量和一个反向量的乘积，两者的衰减相乘，结果每一层的权重梯度都在 :math:`10^{-22}` 左右：整个网络都学不动。
# * 标准差 0.2 太大：信号每层放大约 1.6 倍，20 层后放大到数千倍；反向的梯度越靠近输入越大，权重梯度达到 :math:`10^{4}`，这就是梯度爆炸。用这样的梯度做一步梯度下降，参数会被推到极远处。
# * Xavier 初始化针对的是 tanh 这类在 0 附近近似线性的激活函数。用在 ReLU 上，每层的方差只剩一半，前向信号和反向梯度同样按层数指数衰减，只是比标准差 0.01 时慢得多，20 层后缩小了约 3 个数量级。
# * He 初始化补上了 ReLU 丢掉的那一半，前向的信号和反向的梯度在 20 层中都保持在同一量级。
