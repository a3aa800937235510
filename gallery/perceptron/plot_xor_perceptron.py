"""
感知器解决不了 XOR
==================

同一个感知器学习规则，换成异或（XOR）数据：没有一条直线能把两类分开，所以每一轮都有错误，权重来回摆动，``errors_`` 永远降不到 0，``converged_`` 为 False。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import make_xor
from dlnotes.perceptron import Perceptron, augment

# %%
# 先用 XOR 的四个角点 :math:`(0,0), (0,1), (1,0), (1,1)`\ ，标签为 :math:`0, 1, 1, 0`\ ；再用 ``make_xor`` 生成的 200 个带噪声的点（四个簇中心在 :math:`(\pm 1, \pm 1)`\ ）。两者都最多训练 100 轮。

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y4 = np.array([0, 1, 1, 0])
corners = Perceptron(max_epochs=100).fit(X4, y4)

X, y = make_xor(200, noise=0.3, rng=np.random.default_rng(0))
noisy = Perceptron(max_epochs=100).fit(X, y)

for name, clf in [("4 corners", corners), ("noisy XOR", noisy)]:
    print(f"{name}: converged_ = {clf.converged_}, epochs = {clf.n_epochs_}")
    print("  errors_ of the first 10 epochs:", clf.errors_[:10])
    print("  fewest mistakes in an epoch:", min(clf.errors_))
print("corners, w~ after epochs 1-4:", corners.weights_history_[:4].tolist())

# %%
# 左图：四个角点上，从第 3 轮起每一轮恰好犯 4 次错误（红圈是被这一轮结束时的边界分错的点），而且从第 2 轮起每一轮结束时的权重都回到同一个 :math:`\tilde w = (-1, 0, 1)`\ ：算法陷入一个永不结束的循环。中图：带噪声的 XOR 上，前 30 轮结束时的边界（灰线，最后一轮为黑线）四处摆动，没有一条能把两类分开。右图是每一轮的错误次数除以样本数 :math:`n`\ 。角点上前两轮为 0.5 和 0.75，从第 3 轮起一直是 1，即一轮之中四个点各引起一次更新；带噪声的数据上在 0.46 到 0.57 之间。两者都始终远大于 0。

grid_x = np.linspace(-2.6, 2.6, 201)
g1, g2 = np.meshgrid(grid_x, grid_x)
grid_aug = augment(np.column_stack([g1.ravel(), g2.ravel()]))

fig, (ax0, ax1, ax2) = plt.subplots(
    1, 3, figsize=(10, 3.7), layout="constrained", gridspec_kw={"width_ratios": [1, 1, 1.25]}
)

c1, c2 = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
z = (augment(np.column_stack([c1.ravel(), c2.ravel()])) @ corners.weights_).reshape(c1.shape)
ax0.contourf(c1, c2, z > 0, levels=[-0.5, 0.5, 1.5], colors=["#dbe9f6", "#fde3c8"])
ax0.contour(c1, c2, z, levels=[0], colors="k", linewidths=1.8)
ax0.scatter(*X4[y4 == 0].T, s=120, c="C0", marker="o", zorder=3, label="$y=0$")
ax0.scatter(*X4[y4 == 1].T, s=140, c="C1", marker="^", zorder=3, label="$y=1$")
wrong = corners.predict(X4) != y4
ax0.scatter(*X4[wrong].T, s=420, facecolors="none", edgecolors="red", lw=1.6, label="wrong")
ax0.set_title(r"4 corners: same $\tilde w$ from epoch 2 on", fontsize=10)
ax0.set_xlim(-0.5, 1.5)
ax0.set_ylim(-0.5, 1.5)
ax0.legend(loc="center", fontsize=9, markerscale=0.5)

for w in noisy.weights_history_[:29]:
    z = (grid_aug @ w).reshape(g1.shape)
    ax1.contour(g1, g2, z, levels=[0], colors="0.6", linewidths=0.8)
z = (grid_aug @ noisy.weights_history_[29]).reshape(g1.shape)
ax1.contour(g1, g2, z, levels=[0], colors="k", linewidths=2)
ax1.scatter(*X[y == 0].T, s=10, c="C0", marker="o")
ax1.scatter(*X[y == 1].T, s=12, c="C1", marker="^")
ax1.set_title("noisy XOR: boundaries, epochs 1-30", fontsize=10)
ax1.set_xlim(-2.6, 2.6)
ax1.set_ylim(-2.6, 2.6)

for ax in (ax0, ax1):
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")

epochs = np.arange(1, 101)
rate_noisy = np.array(noisy.errors_) / len(y)
rate_corners = np.array(corners.errors_) / len(y4)
ax2.plot(epochs, rate_corners, color="C3", lw=2, label="4 corners")
ax2.plot(epochs, rate_noisy, color="C2", lw=1.2, label=f"noisy XOR (n = {len(y)})")
ax2.axhline(0, color="k", lw=1, ls=":")
ax2.set_xlabel("epoch")
ax2.set_ylabel("mistakes in the epoch / n")
ax2.set_title("errors_ never reaches 0", fontsize=10)
ax2.set_ylim(-0.05, 1.3)
ax2.grid(alpha=0.3)
ax2.legend(loc="upper right", fontsize=9)
plt.show()

# %%
# 四个角点上的循环可以手算出来：从第 3 轮起，每一轮都从 :math:`\tilde w = (-1, 0, 1)` 开始，依次在 :math:`(0,0)`\ 、\ :math:`(0,1)`\ 、\ :math:`(1,0)`\ 、\ :math:`(1,1)` 上各犯一次错，四次更新 :math:`-\tilde x_1 + \tilde x_2 + \tilde x_3 - \tilde x_4 = (0, 0, 0)` 正好相互抵消，于是又回到出发点。带噪声的数据没有这样整齐的循环，但结论相同：只要数据线性不可分，感知器就永远不会停下来，``max_epochs`` 用完时 ``converged_`` 如实报告 False。
