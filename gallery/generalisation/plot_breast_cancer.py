"""
乳腺癌数据上的三种补救方法
==========================

scikit-learn 自带的乳腺癌数据集（569 个样本，30 个特征）。训练集中只保留 10% 的恶性样本，人为加重不平衡；测试集保持原样。分别用原始训练集、随机欠采样、随机过采样和 SMOTE 后的训练集训练同一个逻辑回归模型，比较测试集上的各项指标。
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer

from dlnotes import metrics
from dlnotes.data import Standardizer, train_test_split
from dlnotes.layers import Linear
from dlnotes.losses import BCEWithLogitsLoss
from dlnotes.optim import SGD
from dlnotes.resample import random_oversample, random_undersample, smote
from dlnotes.train import fit

# %%
# 正类（标签 1）取恶性。先按类别比例划出 30% 的测试集，再从训练集的恶性样本中随机留下 15 个。

ds = load_breast_cancer()
X, y = ds.data, (ds.target == 0).astype(int)  # 1 = malignant
rng = np.random.default_rng(0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, rng=rng)
malignant, benign = np.flatnonzero(y_train == 1), np.flatnonzero(y_train == 0)
keep = np.sort(np.concatenate([benign, rng.choice(malignant, 15, replace=False)]))
X_train, y_train = X_train[keep], y_train[keep]
scaler = Standardizer().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
print("train counts", np.bincount(y_train).tolist(), " test counts", np.bincount(y_test).tolist())


def train_and_predict(X, y, seed=1):
    """Logistic regression (Linear(30, 1) + BCEWithLogitsLoss), SGD, 30 epochs."""
    r = np.random.default_rng(seed)
    model = Linear(X.shape[1], 1, rng=r)
    target = y.reshape(-1, 1).astype(float)
    opt = SGD(model.parameters(), lr=0.05)
    fit(model, BCEWithLogitsLoss(), opt, X, target, epochs=30, batch_size=16, rng=r)
    return (model(X_test, training=False).ravel() > 0).astype(int)


sets = {
    "imbalanced": (X_train, y_train),
    "under-sampled": random_undersample(X_train, y_train, rng=np.random.default_rng(2)),
    "over-sampled": random_oversample(X_train, y_train, rng=np.random.default_rng(2)),
    "SMOTE": smote(X_train, y_train, k_neighbors=5, rng=np.random.default_rng(2)),
}
scores, matrices = {}, {}
for name, (Xs, ys) in sets.items():
    pred = train_and_predict(Xs, ys)
    matrices[name] = metrics.confusion_matrix(y_test, pred, n_classes=2)
    scores[name] = [
        np.mean(pred == y_test),
        metrics.precision(y_test, pred),
        metrics.recall(y_test, pred),
        metrics.f1_score(y_test, pred),
        metrics.balanced_accuracy(y_test, pred),
    ]
    print(f"{name:14s}", " ".join(f"{s:.3f}" for s in scores[name]))

# %%
# 五项指标的柱状图：准确率（accuracy）、精确率（precision）、召回率（recall）、F1 和平衡准确率（balanced accuracy），测试集都是同一个未经改动的测试集。

names = ["accuracy", "precision", "recall", "F1", "balanced acc."]
fig, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
width = 0.2
for j, (name, s) in enumerate(scores.items()):
    pos = np.arange(len(names)) + (j - 1.5) * width
    bars = ax.bar(pos, s, width, label=name)
    ax.bar_label(bars, fmt="%.2f", fontsize=6.5, padding=1)
ax.set_xticks(np.arange(len(names)), names)
ax.set_ylim(0.5, 1.08)
ax.set_ylabel("test score")
ax.legend(ncol=4, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
plt.show()

# %%
# 对应的混淆矩阵（行：真实类别，列：预测类别；0 = 良性，1 = 恶性）。

fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), layout="constrained")
for ax, (name, C) in zip(axes, matrices.items(), strict=True):
    ax.imshow(C, cmap="Blues", vmin=0, vmax=len(y_test))
    for (r, c), v in np.ndenumerate(C):
        ax.text(
            c,
            r,
            str(v),
            ha="center",
            va="center",
            fontsize=11,
            color="white" if v > len(y_test) / 2 else "black",
        )
    ax.set_xticks([0, 1], ["0", "1"])
    ax.set_yticks([0, 1], ["0", "1"])
    ax.set_xlabel("predicted")
    ax.set_title(name, fontsize=10)
axes[0].set_ylabel("true")
plt.show()
