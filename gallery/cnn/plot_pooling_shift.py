"""
池化与小的平移
==============

一个小图案在 :math:`6 \\times 6` 的特征图上向右平移 1 个像素，比较 :math:`2 \\times 2` 最大池化与平均池化的输出。池化由 ``dlnotes.conv.max_pool2d`` 和 ``dlnotes.conv.avg_pool2d`` 计算。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.conv import avg_pool2d, max_pool2d

# %%
# 输入是一张 :math:`6 \times 6` 的特征图（可以想成一个卷积层对某种笔画的响应），把它整体向右平移 1 个像素（右边最后一列原本为 0，左边补 0），分别做 :math:`2 \times 2`、步长 2 的最大池化和平均池化，数一数 9 个输出中有几个不变。

x = np.array(
    [
        [2, 1, 3, 0, 0, 0],
        [1, 0, 2, 0, 0, 0],
        [0, 0, 1, 3, 0, 0],
        [0, 0, 2, 1, 0, 0],
        [0, 1, 0, 0, 2, 0],
        [3, 2, 0, 0, 1, 0],
    ],
    dtype=float,
).reshape(1, 1, 6, 6)
moved = np.roll(x, 1, axis=3)  # one pixel to the right; the last column was 0, so zeros come in
rows = []
for name, image in [("original", x), ("shifted 1 px right", moved)]:
    rows.append((name, image[0, 0], max_pool2d(image, 2)[0, 0], avg_pool2d(image, 2)[0, 0]))
    print(name, "max pool:\n", rows[-1][2], "\navg pool:\n", rows[-1][3])
same_max = int(np.sum(rows[0][2] == rows[1][2]))
same_avg = int(np.sum(rows[0][3] == rows[1][3]))
print(f"unchanged outputs: max pool {same_max} of 9, avg pool {same_avg} of 9")

# %%
# 每一行从左到右：输入特征图（红线为 :math:`2 \times 2` 池化窗口的边界）、最大池化、平均池化。


def show(ax, values, title, cell_lines=False):
    ax.imshow(values, cmap="Blues", vmin=0, vmax=4)
    n = values.shape[0]
    for i in range(n):
        for j in range(n):
            ax.text(j, i, f"{values[i, j]:g}", ha="center", va="center", fontsize=9)
    if cell_lines:
        for t in (1.5, 3.5):
            ax.axhline(t, color="C3", lw=1.5)
            ax.axvline(t, color="C3", lw=1.5)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


fig, axes = plt.subplots(2, 3, figsize=(8.5, 5.6), layout="constrained")
for r, (name, image, mx, av) in enumerate(rows):
    show(axes[r, 0], image, f"{name}: 6×6 input", cell_lines=True)
    show(axes[r, 1], mx, f"max pool 2×2 ({same_max}/9 unchanged)" if r else "max pool 2×2")
    show(axes[r, 2], av, f"avg pool 2×2 ({same_avg}/9 unchanged)" if r else "avg pool 2×2")
plt.show()

# %%
# 平移 1 个像素后，最大池化的 9 个输出中有 6 个不变：只要每个窗口里最大的那个数仍留在窗口内（或者被一个同样大的数替代），输出就不变。平均池化只有 3 个输出不变，而且都是原本全为 0 的窗口：平均值取决于窗口里的每一个数，任何一个数移进或移出窗口都会改变它。最大池化也不是完全不变的：中间窗口的最大值 3（第 3 行第 4 列）越过了窗口边界，移进了右边的窗口，这两个窗口的输出就都变了。所以池化带来的只是对**小**平移的不敏感。
