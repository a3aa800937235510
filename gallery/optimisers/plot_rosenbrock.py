"""
六种优化器在 Rosenbrock 函数上的轨迹
====================================

Rosenbrock 函数 :math:`f(x, y) = (1 - x)^2 + 100\\,(y - x^2)^2` 是检验优化算法的经典例子：它的最小值 :math:`f(1, 1) = 0` 位于一条弯曲的、狭长而平坦的抛物线形山谷里。找到山谷很容易，沿着弯曲的谷底走到最小值却很难。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.optim import SGD, Adadelta, Adagrad, Adam, Momentum, RMSprop, tune_learning_rate

# %%
# 梯度在脚本中直接算出：:math:`\partial f/\partial x = -2(1 - x) - 400\,x\,(y - x^2)`，:math:`\partial f/\partial y = 200\,(y - x^2)`。所有优化器都从 :math:`(-1.5, 2)` 出发走 2000 步，超参数与二次函数的例子相同（:math:`\alpha = 0.9`，RMSprop 和 Adadelta 的 :math:`\rho = 0.9`，Adam 用默认的 :math:`\beta`）；学习率同样从一组候选值中选出：选最后 100 步中 :math:`f` 的最大值最小的那个。

START = [-1.5, 2.0]
STEPS = 2000
GRID = [5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
OPTIMISERS = {
    "SGD": lambda p, lr: SGD(p, lr),
    "Momentum": lambda p, lr: Momentum(p, lr, momentum=0.9),
    "Adagrad": lambda p, lr: Adagrad(p, lr),
    "RMSprop": lambda p, lr: RMSprop(p, lr, alpha=0.9),
    "Adam": lambda p, lr: Adam(p, lr),
    "Adadelta": lambda p, lr: Adadelta(p, lr, rho=0.9),
}


def f(w):
    """The Rosenbrock function, for points of shape (..., 2)."""
    w = np.asarray(w)
    x, y = w[..., 0], w[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def grad(w):
    """Its gradient."""
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


runs = {}
for name, make in OPTIMISERS.items():
    best, path = tune_learning_rate(make, grad, f, START, STEPS, GRID, last=100, bound=1e3)
    runs[name] = (best, path)
    print(
        f"{name:9s} best lr = {best:<6} f after {STEPS} steps = {f(path[-1]):.1e}, "
        f"final point {path[-1].round(3)}"
    )

# %%
# 左图是等高线（对数间隔）和路径，右图是 :math:`f` 随步数的变化（对数纵轴）。

fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained", width_ratios=[1.3, 1])
X, Y = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-0.8, 3.2, 300))
axes[0].contour(
    X, Y, f(np.stack([X, Y], -1)), levels=np.geomspace(0.1, 1000, 12), colors="0.75", linewidths=0.8
)
for i, (name, (lr, path)) in enumerate(runs.items()):
    label = rf"{name}, $\eta$ = {lr}"
    axes[0].plot(path[:, 0], path[:, 1], "-", color=f"C{i}", lw=1.3, label=label)
    axes[1].plot(np.arange(STEPS + 1), f(path), color=f"C{i}", lw=1.4, label=label)
axes[0].plot(*START, "ks", ms=6)
axes[0].plot(1, 1, "k*", ms=12)
axes[0].set_xlim(-2, 2)
axes[0].set_ylim(-0.8, 3.2)
axes[0].set_xlabel(r"$x$")
axes[0].set_ylabel(r"$y$")
axes[0].set_title(r"$f(x, y) = (1-x)^2 + 100\,(y-x^2)^2$")
axes[0].legend(fontsize=8, loc="upper right")
axes[1].set_yscale("log")
axes[1].set_xscale("log")
axes[1].set_xlabel("step (log scale)")
axes[1].set_ylabel(r"$f(x, y)$")
axes[1].set_title("loss along the path")
axes[1].set_ylim(1e-12, 1e4)
axes[1].grid(alpha=0.3)
plt.show()

# %%
# 难的不是找到山谷，而是沿弯曲的谷底走到最小值。SGD 的学习率受谷壁的陡峭程度限制：头几步被陡峭的谷壁甩来甩去（这次碰巧被甩到了最小值附近），之后在狭窄的谷底两侧来回振荡，缓慢地爬向 :math:`(1, 1)`，2000 步后 :math:`f \approx 5\times 10^{-5}`。动量把沿谷底方向的梯度累加起来，振荡的分量相互抵消，到达了最小值（:math:`f \approx 10^{-17}`）。Adagrad 的累加量 :math:`r` 只增不减，在谷壁上积累了很大的梯度平方之后有效学习率所剩无几，停在半路的 :math:`(0.71, 0.51)`；RMSprop 只记住最近的梯度，走得比 Adagrad 远（:math:`(0.94, 0.88)`），但学习率固定时在谷底附近的进展很慢。Adadelta（:math:`\eta = 0.2`）也用滑动平均，但它的更新幅度要靠走过的步子一点点积累，2000 步中每步的移动量都不到 0.01（中位数不到 0.002），最后停在 Adagrad 和 RMSprop 之间的 :math:`(0.76, 0.58)`。Adam 兼有动量和逐坐标的学习率，在这里到达最小值最快。这些结论只属于这个例子和这组超参数，换一个函数或起点，名次可能改变。
