"""
权重随 λ 的变化：L1 与 L2
==========================

在 scikit-learn 自带的糖尿病数据集（442 个病人、10 个特征）上训练一个线性回归模型 ``Linear(10, 1)``，分别加上 L1 和 L2 惩罚，看 10 个权重如何随正则化强度 :math:`\\lambda` 变化。
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes

from dlnotes.data import Standardizer
from dlnotes.layers import Linear
from dlnotes.losses import MSELoss
from dlnotes.optim import SGD
from dlnotes.regularization import add_l1_grad, add_l2_grad

# %%
# 特征和目标都标准化为均值 0、标准差 1。对每个 :math:`\lambda` 用批量梯度下降最小化 :math:`\text{MSE} + \lambda\lVert w\rVert_1` 或 :math:`\text{MSE} + \frac{\lambda}{2}\lVert w\rVert_2^2`\ （偏置不惩罚）。L1 的次梯度 :math:`\lambda\,\mathrm{sign}(w)` 会让本该为 0 的权重在 0 附近来回跳动，幅度约为 :math:`\eta\lambda`，所以每个 :math:`\lambda` 的最后几百步逐步减小学习率，让这种跳动小于 :math:`10^{-4}`。相邻的 :math:`\lambda` 从上一个解出发（热启动）。

X, y = load_diabetes(return_X_y=True)
names = load_diabetes().feature_names
X = Standardizer().fit(X).transform(X)
y = Standardizer().fit(y.reshape(-1, 1)).transform(y.reshape(-1, 1))
loss_fn = MSELoss()


def path(lams, add_grad, steps=1600):
    """Weights of Linear(10, 1) trained by BGD on the MSE plus a penalty, for each lambda.

    Each lambda starts from the previous solution (a warm start), lambdas in increasing order;
    the first one gets 8 times as many steps, to converge from zero.
    """
    layer = Linear(10, 1, rng=np.random.default_rng(0))
    layer.weight.value[...] = 0.0
    weights = []
    for k, lam in enumerate(lams):
        lr = min(0.2, 1.0 / (curvature + lam))  # stable step for the MSE plus the L2 term
        n = steps * 8 if k == 0 else steps
        for rate, m in [(lr, n), (lr / 10, 400), (lr / 100, 400), (lr / 1000, 100)]:
            opt = SGD(layer.parameters(), lr=rate)
            for _ in range(m):
                opt.zero_grad()
                loss_fn(layer(X), y)
                layer.backward(loss_fn.backward())
                add_grad([layer.weight], lam)
                opt.step()
        weights.append(layer.weight.value.ravel().copy())
    return np.array(weights)


curvature = 2 * np.linalg.eigvalsh(X.T @ X / len(X)).max()  # largest curvature of the MSE
lams_l1 = np.geomspace(1e-2, 1.0, 20)
lams_l2 = np.geomspace(1e-2, 10.0, 20)
W_l1 = path(lams_l1, add_l1_grad)
W_l2 = path(lams_l2, add_l2_grad)
zero = 1e-3
for lam, w in list(zip(lams_l1, W_l1, strict=True))[::3]:
    print(f"L1 lambda = {lam:7.4f}: {np.sum(np.abs(w) < zero):2d} of 10 weights |w| < 1e-3")
print("L2: smallest |w| at the largest lambda:", f"{np.abs(W_l2[-1]).min():.2e}")

# %%
# 左图是 L1，右图是 L2，横轴都是对数刻度的 :math:`\lambda`，每条线是一个特征的权重。

fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.0), layout="constrained", sharey=True)
for ax, lams, W, title in [
    (axes[0], lams_l1, W_l1, r"L1 penalty $\lambda\|w\|_1$"),
    (axes[1], lams_l2, W_l2, r"L2 penalty $\frac{\lambda}{2}\|w\|_2^2$"),
]:
    for j in range(W.shape[1]):
        ax.plot(lams, W[:, j], lw=1.8, label=names[j])
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel(r"$\lambda$")
    ax.set_title(title)
    ax.grid(alpha=0.3)
axes[0].set_ylabel("weight $w_j$")
axes[1].legend(fontsize=7.5, ncol=2, loc="upper right")
plt.show()

# %%
# L1 的权重随 :math:`\lambda` 增大一个接一个地变成 0，并停在 0 上：最弱的特征最先被“关掉”，:math:`\lambda` 足够大时只剩下最重要的一两个特征（体重指数 ``bmi`` 和血清指标 ``s5``），这就是特征选择。L2 的权重则平滑地变化、整体缩小，:math:`\lambda` 很大时都很小；彼此相关的特征的权重（如 ``s2``）可能连续地穿过 0，但没有一个停在 0 上。
