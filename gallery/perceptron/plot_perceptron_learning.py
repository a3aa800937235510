"""
感知器在线性可分数据上的学习过程
================================

在一个线性可分的二维数据集上运行感知器学习规则，画出每一轮（epoch）结束时的决策边界 :math:`\\tilde w^\\top \\tilde x = 0` 和该轮的错误次数。错误次数降为 0 的那一轮，所有训练点都被正确分类，算法停止。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.data import make_linearly_separable
from dlnotes.perceptron import Perceptron, augment

# %%
# 数据由 ``make_linearly_separable`` 生成：60 个点分布在一条随机直线两侧，直线周围宽 0.2 的带状区域内没有点。感知器从 :math:`\tilde w = 0` 出发，按顺序逐个样本地检查，每犯一次错误就更新一次权重，``weights_history_`` 记录每一轮结束时的 :math:`\tilde w = (w_1, w_2, b)`\ 。

X, y = make_linearly_separable(60, margin=0.2, rng=np.random.default_rng(18))
clf = Perceptron().fit(X, y)

print("converged:", clf.converged_, " epochs:", clf.n_epochs_)
print("mistakes per epoch:", clf.errors_, " total:", sum(clf.errors_))
for epoch, w in enumerate(clf.weights_history_, start=1):
    print(f"epoch {epoch}: w = ({w[0]:6.2f}, {w[1]:6.2f}), b = {w[2]:5.1f}")

# %%
# 左边六幅小图依次是第 1 至第 6 轮结束时的边界（黑线），括号里是这一轮中犯错（即更新）的次数。箭头是权重向量 :math:`w`\ ，它垂直于边界、指向预测为 1 的一侧（浅橙色区域）；被这一轮结束时的边界分错的点画了红圈。右图是每一轮的错误次数 ``errors_``\ 。

x1, x2 = np.meshgrid(np.linspace(-3, 3, 241), np.linspace(-3, 3, 241))
grid = np.column_stack([x1.ravel(), x2.ravel()])
grid_aug = augment(grid)
X_aug = augment(X)
n_show = len(clf.weights_history_)

fig = plt.figure(figsize=(10, 5.6), layout="constrained")
subfigs = fig.subfigures(1, 2, width_ratios=[3, 1.15])
axes = subfigs[0].subplots(2, 3, sharex=True, sharey=True)
for epoch, (ax, w) in enumerate(zip(axes.flat, clf.weights_history_, strict=False), start=1):
    z = (grid_aug @ w).reshape(x1.shape)  # w~ . x~ on the grid
    ax.contourf(x1, x2, z > 0, levels=[-0.5, 0.5, 1.5], colors=["#dbe9f6", "#fde3c8"])
    ax.contour(x1, x2, z, levels=[0], colors="k", linewidths=1.8)
    wrong = (X_aug @ w > 0).astype(int) != y
    ax.scatter(*X[y == 0].T, s=14, c="C0", marker="o", label="$y=0$")
    ax.scatter(*X[y == 1].T, s=18, c="C1", marker="^", label="$y=1$")
    ax.scatter(*X[wrong].T, s=90, facecolors="none", edgecolors="red", lw=1.4, label="wrong")
    d = w[:2] / np.linalg.norm(w[:2])
    p0 = -w[2] * w[:2] / np.dot(w[:2], w[:2])  # foot of the normal from the origin
    ax.annotate("", p0 + 1.2 * d, p0, arrowprops={"arrowstyle": "->", "lw": 1.8, "color": "k"})
    m = clf.errors_[epoch - 1]
    ax.set_title(f"end of epoch {epoch} ({m} update{'s' * (m != 1)})", fontsize=10)
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
for ax in axes[1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
for ax in axes.flat[n_show:]:
    ax.set_visible(False)

axb = subfigs[1].subplots()
epochs = np.arange(1, clf.n_epochs_ + 1)
axb.bar(epochs, clf.errors_, color="C2")
for e, m in zip(epochs, clf.errors_, strict=True):
    axb.text(e, m + 0.1, str(m), ha="center", va="bottom", fontsize=10)
axb.set_xticks(epochs)
axb.set_xlabel("epoch")
axb.set_ylabel("mistakes (updates) in the epoch")
axb.set_title("errors_")
axb.set_ylim(0, max(clf.errors_) + 1)
axb.grid(axis="y", alpha=0.3)
axb.legend(*axes[0, 0].get_legend_handles_labels(), loc="upper right", fontsize=9)
plt.show()

# %%
# 第 1 轮犯错最多，因为出发时 :math:`\tilde w = 0`\ ，边界还是随意的；此后每一次更新都把边界往犯错的点那一侧推一点。第 6 轮没有任何错误，训练结束，``converged_`` 为 True。每一次更新都会让 :math:`\tilde w` 与某个“理想”的分隔向量更接近，而 :math:`\lVert\tilde w\rVert` 增长得不够快，这正是 Novikoff 收敛定理的证明思路：错误总次数不超过 :math:`(R/\gamma)^2`\ 。
