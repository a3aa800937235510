"""
数据增强：用变换过的副本扩充小训练集
====================================

只有 150 张训练图像时，给每张图像加上 9 个随机平移、小角度旋转过的副本，再训练同一个网络。比较两种测试集上的准确率：原样的测试图像，以及同样随机平移、旋转过的测试图像。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.augment import augment_images, rotate_images, shift_images
from dlnotes.data import digits_split
from dlnotes.layers import Linear, ReLU, Sequential
from dlnotes.losses import CrossEntropyLoss
from dlnotes.optim import SGD
from dlnotes.train import evaluate, fit

# %%
# ``augment_images`` 为每张图像生成 9 个副本：先在 :math:`\pm 10°` 内随机旋转，再在每个方向随机平移至多 1 个像素；标签不变。网络为 ``Linear(64, 128)`` – ReLU – ``Linear(128, 10)``。为了公平，两种情况的参数更新次数相同（各 2400 次，批大小 30）。第二个测试集由 449 张测试图像经过同样范围的随机旋转和平移得到。

X_train, X_test, y_train, y_test = digits_split()
idx = np.random.default_rng(0).permutation(len(X_train))[:150]
X_small, y_small = X_train[idx], y_train[idx]
X_aug, y_aug = augment_images(X_small.reshape(-1, 8, 8), y_small, 9, rng=np.random.default_rng(2))
X_aug = X_aug.reshape(len(X_aug), 64)
rng_test = np.random.default_rng(3)
X_moved = shift_images(rotate_images(X_test.reshape(-1, 8, 8), 10, rng=rng_test), 1, rng=rng_test)
X_moved = X_moved.reshape(len(X_test), 64)
print("training set:", X_small.shape, "-> augmented:", X_aug.shape)


def run(X, y, seed):
    """Train 64-128-10 with 2400 updates of batch size 30; test accuracy on both test sets."""
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(64, 128, rng=rng), ReLU(), Linear(128, 10, rng=rng))
    opt = SGD(net.parameters(), lr=0.2)
    fit(net, CrossEntropyLoss(), opt, X, y, epochs=2400 * 30 // len(X), batch_size=30, rng=rng)
    return [evaluate(net, CrossEntropyLoss(), Xt, y_test)[1] for Xt in (X_test, X_moved)]


acc = {
    "150 original": np.array([run(X_small, y_small, seed) for seed in range(3)]),
    "1500 augmented": np.array([run(X_aug, y_aug, seed) for seed in range(3)]),
}
for name, a in acc.items():
    print(f"{name:15s}: test {a[:, 0].mean():.3f}, moved test {a[:, 1].mean():.3f}  (3 seeds)")

# %%
# 左图：一张训练图像和它的 5 个增强副本。右图：两种测试集上的准确率（柱高为 3 个随机种子的平均值，点为每个种子）。

fig = plt.figure(figsize=(9.5, 3.6), layout="constrained")
left, right = fig.subfigures(1, 2, width_ratios=[1.1, 1])
for k, ax in enumerate(left.subplots(2, 3).ravel()):
    ax.imshow(X_aug[k * 150].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title("original" if k == 0 else f"copy {k}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
left.suptitle(f"a training digit ({y_small[0]}) and augmented copies", fontsize=10)
ax = right.subplots()
for i, (name, a) in enumerate(acc.items()):
    x = np.arange(2) + (i - 0.5) * 0.38
    ax.bar(x, a.mean(axis=0), width=0.36, color=f"C{i}", label=f"trained on {name}")
    for j in range(2):
        ax.plot([x[j]] * len(a), a[:, j], "ko", ms=3)
        ax.text(x[j], a[:, j].max() + 0.01, f"{a[:, j].mean():.3f}", ha="center", fontsize=9)
ax.set_xticks([0, 1], ["test images", "moved test images"])
ax.set_ylim(0.3, 1.12)
ax.set_ylabel("test accuracy")
ax.legend(loc="upper center", ncol=2, fontsize=8, handlelength=1.2)
plt.show()

# %%
# 在原样的测试图像上，增强并没有带来提升，准确率反而略低（增强后为 0.906，不增强为 0.929）：这套数字在采集时已经居中、统一了大小，测试图像和训练图像的变化方式相同，而旋转的插值还会让图像略微变模糊。在随机平移、旋转过的测试图像上，只用 150 张原图训练的网络准确率跌到 0.356，用增强数据训练的网络仍有 0.832。数据增强的作用是把“平移一个像素、转几度，数字不变”这一先验知识以数据的形式告诉模型；当测试数据确实带有这些变化时，它的收益最大。
