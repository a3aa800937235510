"""
三种重采样得到的训练集
======================

同一个不平衡的二维数据集（多数类 200 个点，少数类 20 个点）分别经过随机欠采样、随机过采样和 SMOTE 之后的样子。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.resample import random_oversample, random_undersample, smote

# %%
# 两类都是二维高斯分布：多数类（类 0）以 :math:`(0, 0)` 为中心，少数类（类 1）以 :math:`(2, 2)` 为中心，样本数之比为 10 : 1。

rng = np.random.default_rng(0)
X = np.vstack([rng.normal(0.0, 1.0, size=(200, 2)), rng.normal(2.0, 0.6, size=(20, 2))])
y = np.repeat([0, 1], [200, 20])

sets = {
    "original": (X, y),
    "random under-sampling": random_undersample(X, y, rng=np.random.default_rng(1)),
    "random over-sampling": random_oversample(X, y, rng=np.random.default_rng(1)),
    "SMOTE (k = 5)": smote(X, y, k_neighbors=5, rng=np.random.default_rng(1)),
}
for name, (_, ys) in sets.items():
    print(f"{name:22s} class counts {np.bincount(ys).tolist()}")

# %%
# 过采样得到的少数类全是原样本的副本，叠在一起看不出来，所以图中点的大小与它出现的次数成正比，并标出最多的重复次数。SMOTE 新生成的点用叉号表示。

fig, axes = plt.subplots(1, 4, figsize=(10, 3.2), sharex=True, sharey=True, layout="constrained")
for ax, (name, (Xs, ys)) in zip(axes, sets.items(), strict=True):
    maj, mino = Xs[ys == 0], Xs[ys == 1]
    ax.scatter(maj[:, 0], maj[:, 1], s=8, c="tab:blue", alpha=0.5, label="class 0")
    if name.startswith("random over"):
        pts, counts = np.unique(mino, axis=0, return_counts=True)
        ax.scatter(pts[:, 0], pts[:, 1], s=12 * counts, c="tab:red", alpha=0.6, label="class 1")
        ax.text(0.03, 0.03, f"max copies: {counts.max()}", transform=ax.transAxes, fontsize=8)
    elif name.startswith("SMOTE"):
        ax.scatter(mino[:20, 0], mino[:20, 1], s=14, c="tab:red", label="class 1")
        ax.scatter(
            mino[20:, 0], mino[20:, 1], s=14, c="tab:red", marker="x", lw=0.8, label="synthetic"
        )
    else:
        ax.scatter(mino[:, 0], mino[:, 1], s=14, c="tab:red", label="class 1")
    counts = np.bincount(ys)
    ax.set_title(f"{name}\n{counts[0]} : {counts[1]}", fontsize=9)
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
axes[0].legend(fontsize=7, loc="upper left")
axes[3].legend(fontsize=7, loc="upper left")
plt.show()
