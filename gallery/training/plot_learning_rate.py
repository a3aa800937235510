"""
学习率太小、合适与太大
======================

梯度下降的每一步为 :math:`w \\leftarrow w - \\eta\\, \\nabla f(w)`，学习率 :math:`\\eta` 是更新量 :math:`-\\eta\\, \\nabla f(w)` 的系数，每一步走多远由它和梯度一起决定。本例在一维二次函数 :math:`f(w) = w^2` 上用 ``dlnotes.optim.SGD`` 走 12 步，比较不同学习率的效果。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.layers import Parameter
from dlnotes.optim import SGD

# %%
# :math:`f(w) = w^2` 的梯度为 :math:`2w`，所以一步之后 :math:`w \leftarrow (1 - 2\eta)\, w`：当 :math:`0 < \eta < 1` 时 :math:`|1 - 2\eta| < 1`，迭代收敛；:math:`\eta = 0.5` 一步就到最小值；:math:`0.5 < \eta < 1` 时来回振荡着收敛；:math:`\eta > 1` 时每步都越过最小值并且离得更远，发散。


def descend(lr, w0=4.0, steps=12):
    """Run `steps` SGD steps on f(w) = w^2 from w0; return the visited points."""
    w = Parameter([w0])
    opt = SGD([w], lr=lr)
    path = [w0]
    for _ in range(steps):
        opt.zero_grad()
        w.grad = 2 * w.value  # gradient of w^2
        opt.step()
        path.append(float(w.value[0]))
    return np.array(path)


cases = [(0.05, "too small"), (0.3, "just right"), (0.9, "oscillates"), (1.05, "too large")]
paths = {lr: descend(lr) for lr, _ in cases}
for lr, label in cases:
    print(f"lr={lr:<5} {label:10s} w after 12 steps = {paths[lr][-1]: .4f}")

# %%
# 每幅小图画出函数曲线和 12 步的轨迹（点的颜色由深到浅表示先后）。

w = np.linspace(-6, 6, 400)
fig, axes = plt.subplots(1, 4, figsize=(10, 3.2), layout="constrained", sharey=True)
for ax, (lr, label) in zip(axes, cases, strict=True):
    path = paths[lr]
    ax.plot(w, w**2, color="0.6", lw=1.5)
    ax.plot(path, path**2, "-", color="C3", lw=0.8)
    ax.scatter(path, path**2, c=np.arange(len(path)), cmap="viridis", s=22, zorder=3)
    ax.set_title(rf"$\eta={lr}$: {label}")
    ax.set_xlabel(r"$w$")
    ax.set_xlim(-6, 6)
    ax.set_ylim(-1, 36)
axes[0].set_ylabel(r"$f(w)=w^2$")
plt.show()

# %%
# 学习率太小时（:math:`\eta = 0.05`）每步只缩小 10%，12 步后离最小值仍有一段距离；合适的学习率很快到达最小值附近；:math:`\eta = 0.9` 时 :math:`w` 每步变号，在两侧来回振荡，收敛变慢；:math:`\eta = 1.05` 时振幅越来越大，损失发散。真实网络的损失曲面没有这么简单，但规律相同：学习率要足够大才走得快，又不能大到越过谷底。
