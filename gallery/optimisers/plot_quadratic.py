"""
六种优化器在病态二次函数上的轨迹
================================

损失曲面在不同方向上的弯曲程度相差很大时（病态），朴素的梯度下降会在陡峭的方向上来回振荡，在平缓的方向上却走得很慢。本例在二维二次函数上从同一个起点出发，比较 ``dlnotes.optim`` 中六种优化器走过的路径。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Momentum, RMSprop, tune_learning_rate

# %%
# 函数为 :math:`f(w) = \tfrac12 (w_1^2 + 100\, w_2^2)`，两个方向的曲率分别是 1 和 100，条件数为 100；梯度 :math:`\nabla f = (w_1,\ 100\, w_2)` 在脚本中直接算出；``dlnotes.optim.trajectory`` 每一步把它写进 ``Parameter.grad``，再调用优化器的 ``step()``。所有优化器都从 :math:`(-9, 1)` 出发走 100 步，动量取 :math:`\alpha = 0.9`，RMSprop 和 Adadelta 取 :math:`\rho = 0.9`，Adadelta 取默认的 :math:`\varepsilon = 10^{-6}`，Adam 取默认的 :math:`\beta_1 = 0.9,\ \beta_2 = 0.999`。每种优化器的学习率都从同一组候选值中选出：选最后 20 步中 :math:`f` 的最大值最小的那个，也就是 100 步后稳定地停在最低处的那个。

CURV = np.array([1.0, 100.0])
START = [-9.0, 1.0]
STEPS = 100
GRID = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
OPTIMISERS = {
    "SGD": lambda p, lr: SGD(p, lr),
    "Momentum": lambda p, lr: Momentum(p, lr, momentum=0.9),
    "Adagrad": lambda p, lr: Adagrad(p, lr),
    "RMSprop": lambda p, lr: RMSprop(p, lr, alpha=0.9),
    "Adam": lambda p, lr: Adam(p, lr),
    "Adadelta": lambda p, lr: Adadelta(p, lr, rho=0.9),
}


def f(w):
    """The quadratic, for points of shape (..., 2)."""
    return 0.5 * (CURV * np.asarray(w) ** 2).sum(axis=-1)


def grad(w):
    """Its gradient (w1, 100 w2)."""
    return CURV * w


runs = {}
for name, make in OPTIMISERS.items():
    best, path = tune_learning_rate(make, grad, f, START, STEPS, GRID, last=20, bound=1e6)
    runs[name] = (best, path)
    print(f"{name:9s} best lr = {best:<6} max f over the last 20 steps = {f(path[-20:]).max():.2e}")

# %%
# 左图是等高线和前 100 步的路径（每种优化器的学习率写在图例中），右图是 :math:`f` 随步数的变化（对数纵轴）。

fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained", width_ratios=[1.5, 1])
W1, W2 = np.meshgrid(np.linspace(-10, 3, 300), np.linspace(-1.5, 1.5, 300))
axes[0].contour(
    W1,
    W2,
    f(np.stack([W1, W2], -1)),
    levels=np.geomspace(0.05, 150, 12),
    colors="0.75",
    linewidths=0.8,
)
for i, (name, (lr, path)) in enumerate(runs.items()):
    label = rf"{name}, $\eta$ = {lr}"
    axes[0].plot(path[:, 0], path[:, 1], "o-", color=f"C{i}", ms=2.5, lw=1.2, label=label)
    axes[1].plot(np.arange(STEPS + 1), f(path), color=f"C{i}", lw=1.6, label=label)
axes[0].plot(*START, "ks", ms=6)
axes[0].plot(0, 0, "k*", ms=12)
axes[0].set_xlabel(r"$w_1$")
axes[0].set_ylabel(r"$w_2$")
axes[0].set_title(r"$f(w) = \frac{1}{2}(w_1^2 + 100 w_2^2)$")
axes[0].legend(fontsize=8, loc="lower right")
axes[1].set_yscale("log")
axes[1].set_xlabel("step")
axes[1].set_ylabel(r"$f(w)$")
axes[1].set_title("loss along the path")
axes[1].grid(alpha=0.3)
plt.show()

# %%
# SGD 的学习率受陡峭方向 :math:`w_2` 限制：每步 :math:`w_2 \leftarrow (1 - 100\,\eta)\, w_2`，:math:`\eta` 必须小于 :math:`2/100 = 0.02`，否则发散。选中的 :math:`\eta = 0.01` 一步就消去了 :math:`w_2`，但在平缓的 :math:`w_1` 方向上每步只缩小 1%，100 步后 :math:`f` 仍然大于 1。动量把同号的 :math:`w_1` 分量累加起来，沿谷底前进得快得多，代价是在陡峭的 :math:`w_2` 方向上来回摆动，摆幅逐渐衰减。Adagrad、RMSprop 和 Adam 给每个坐标各自的学习率：它们把梯度除以各坐标梯度的均方根，两个方向的步子大小差不多，所以路径一开始接近 45° 的斜线，而不是先垂直地掉进谷底。RMSprop 在接近最小值时出现了几次跳动：梯度变小时 :math:`r_t` 随之变小，更新幅度并不随之缩小，学习率固定时它无法稳定地停在最小值上，这正是需要让学习率逐渐减小的原因之一。Adadelta 选中的是候选值中最大、也是它默认的 :math:`\eta = 1`，却走得最慢：它的分子 :math:`\sqrt{s_{t-1} + \varepsilon}` 从 :math:`\sqrt{\varepsilon}` 起步，第 1 步在两个坐标上都只移动 :math:`\sqrt{\varepsilon/(1-\rho)} \approx 0.0032`，100 步中每步只长到约 0.0045，路径只是起点旁边的一小段斜线，:math:`f` 从 90.5 只降到约 58。更新量平方的滑动平均要靠走过的步子一点点积累，这是 Adadelta 的代价。注意逐坐标的缩放对与坐标轴对齐的山谷特别有效；山谷斜着时，效果会打折扣。
