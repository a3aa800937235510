"""
SMOTE 的插值
============

SMOTE 不复制少数类样本，而是在一个少数类样本和它的某个近邻之间的线段上取新点。本例把这些线段画出来。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.resample import nearest_neighbours, smote

# %%
# 少数类只有 8 个点，多数类 20 个点；取 :math:`k = 3`。左图：每个少数类样本到它的 3 个最近少数类近邻的线段（灰色），以及 SMOTE 生成的 12 个新点（叉号），新点全部落在这些线段上。右图：一个新点的构造过程 :math:`x_{\mathrm{new}} = x_i + u\,(x_{nn} - x_i)`\ ，这里取 :math:`u = 0.25`。

rng = np.random.default_rng(3)
minority = rng.normal([2.0, 2.0], 0.8, size=(8, 2))
majority = rng.normal([0.0, 0.0], 1.0, size=(20, 2))
X = np.vstack([majority, minority])
y = np.repeat([0, 1], [20, 8])
k = 3
X_res, y_res = smote(X, y, k_neighbors=k, rng=np.random.default_rng(0))
new = X_res[len(X) :]
neighbours = nearest_neighbours(minority, k)  # (8, 3) indices into `minority`
print("synthetic points:", len(new), " class counts:", np.bincount(y_res).tolist())

# %%
# 右图的数：取第 0 个少数类样本 :math:`x_i` 和它最近的近邻 :math:`x_{nn}`\ 。

i, nn = 0, neighbours[0, 0]
x_i, x_nn, u = minority[i], minority[nn], 0.25
x_new = x_i + u * (x_nn - x_i)
print("x_i =", x_i.round(3), " x_nn =", x_nn.round(3), " x_new =", x_new.round(3))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for a in range(len(minority)):
    for b in neighbours[a]:
        ax1.plot(*minority[[a, b]].T, c="0.6", lw=0.8, zorder=1)
ax1.scatter(*majority.T, s=14, c="tab:blue", alpha=0.5, label="class 0")
ax1.scatter(*minority.T, s=30, c="tab:red", label="class 1", zorder=2)
ax1.scatter(*new.T, s=40, c="k", marker="x", label="synthetic", zorder=3)
ax1.set_title(f"segments to the k = {k} nearest minority neighbours", fontsize=10)
ax1.set_xlabel("$x_1$")
ax1.set_ylabel("$x_2$")
ax1.legend(fontsize=8)

ax2.scatter(*minority.T, s=30, c="tab:red", alpha=0.4)
ax2.plot(*np.array([x_i, x_nn]).T, c="0.4", lw=1.5)
ax2.scatter(*x_i, s=60, c="tab:red")
ax2.scatter(*x_nn, s=60, c="tab:red")
ax2.scatter(*x_new, s=80, c="k", marker="x", zorder=3)
ax2.annotate("$x_i$", x_i, xytext=(-6, 10), textcoords="offset points", fontsize=12)
ax2.annotate("$x_{nn}$", x_nn, xytext=(8, 6), textcoords="offset points", fontsize=12)
ax2.annotate(
    "$x_{new}$ (u = 0.25)",
    x_new,
    xytext=(-10, -4),
    textcoords="offset points",
    ha="right",
    fontsize=11,
)
ax2.margins(0.15)
ax2.set_title("$x_{new} = x_i + u\\,(x_{nn} - x_i),\\; u \\sim U(0, 1)$", fontsize=10)
ax2.set_xlabel("$x_1$")
ax2.set_ylabel("$x_2$")
plt.show()
