"""
L1 与 L2 约束的几何图像
========================

把正则化看成带约束的优化：在 :math:`\\lVert w\\rVert_1 \\le t`\\ （菱形）或 :math:`\\lVert w\\rVert_2 \\le t`\\ （圆）之内最小化一个二次目标函数 :math:`J(w)`。约束下的最优点是目标函数的等高线第一次碰到约束区域的那一点。
"""

import matplotlib.pyplot as plt
import numpy as np

# %%
# 目标函数 :math:`J(w) = (w - w^*)^\top A (w - w^*)`，无约束的最优点 :math:`w^* = (2, 0.8)`，:math:`A` 使等高线成为倾斜的椭圆。约束下的最优点在边界上：沿边界取 20000 个点，取 :math:`J` 最小的那一个。

w_star = np.array([2.0, 0.8])
A = np.array([[1.0, 0.3], [0.3, 0.6]])
t = 1.0


def J(w):
    """Quadratic objective for points w of shape (..., 2)."""
    d = w - w_star
    return np.einsum("...i,ij,...j->...", d, A, d)


theta = np.linspace(0, 2 * np.pi, 20000, endpoint=False)
circle = t * np.stack([np.cos(theta), np.sin(theta)], axis=-1)
diamond = circle / np.abs(circle).sum(axis=1, keepdims=True) * t  # ||w||_1 = t
w_l2 = circle[np.argmin(J(circle))]
w_l1 = diamond[np.argmin(J(diamond))]
print(f"unconstrained optimum w* = {w_star}, J = 0")
print(f"L1 (||w||_1 <= {t}): w = {w_l1.round(4)}, J = {J(w_l1):.4f}")
print(f"L2 (||w||_2 <= {t}): w = {w_l2.round(4)}, J = {J(w_l2):.4f}")

# %%
# 左图为 L1 约束，右图为 L2 约束；细线是 :math:`J` 的等高线，粗线是穿过约束最优点的那一条。

g = np.linspace(-1.6, 3.2, 300)
W1, W2 = np.meshgrid(g, g)
Jgrid = J(np.stack([W1, W2], axis=-1))
fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.2), layout="constrained")
for ax, shape, w_opt, name in [
    (axes[0], diamond, w_l1, r"L1: $\|w\|_1 \leq 1$"),
    (axes[1], circle, w_l2, r"L2: $\|w\|_2 \leq 1$"),
]:
    ax.contour(W1, W2, Jgrid, levels=np.geomspace(0.05, 12, 12), colors="C3", linewidths=0.8)
    ax.contour(W1, W2, Jgrid, levels=[J(w_opt)], colors="C3", linewidths=2.2)
    ax.fill(shape[:, 0], shape[:, 1], color="C2", alpha=0.3)
    ax.plot(*np.vstack([shape, shape[:1]]).T, color="C2", lw=2)
    ax.plot(*w_star, "k*", ms=12, label=r"unconstrained $w^*$")
    ax.plot(
        *w_opt, "o", color="C0", ms=8, label=f"constrained optimum ({w_opt[0]:.2f}, {w_opt[1]:.2f})"
    )
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_aspect("equal")
    ax.set_xlim(g[0], g[-1])
    ax.set_ylim(g[0], g[-1])
    ax.set_xlabel(r"$w_1$")
    ax.set_ylabel(r"$w_2$")
    ax.set_title(name)
    ax.legend(loc="lower right", fontsize=8.5)
plt.show()

# %%
# L1 约束下的最优点正好落在菱形的顶点 :math:`(1, 0)` 上，:math:`w_2` 恰好为 0；L2 约束下的最优点落在圆上一个普通的位置，两个分量都不为 0，只是都被缩小了。菱形的顶点在坐标轴上并且向外凸出，一大片方向上的等高线都会先碰到顶点，所以 L1 容易产生恰好为 0 的分量；圆上没有这样的特殊点。
