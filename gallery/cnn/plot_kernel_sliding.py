"""
卷积核一步一步地滑过图像
========================

一个 :math:`3 \\times 3` 的卷积核在 :math:`5 \\times 5` 的图像上以步长 1 滑动。每到一个位置，核中的 9 个数与它盖住的 9 个像素逐个相乘再求和，得到输出特征图中的一个数。输出由 ``dlnotes.conv.conv2d`` 计算。
"""

import matplotlib.pyplot as plt
import numpy as np

from dlnotes.conv import conv2d

# %%
# 输入是 0 到 3 之间的小整数，卷积核只含 1、0 和 -1，便于心算。输出特征图的大小是 :math:`(5 - 3)/1 + 1 = 3`。

x = np.array(
    [
        [1, 0, 2, 3, 1],
        [0, 1, 3, 1, 0],
        [2, 1, 0, 2, 3],
        [1, 3, 1, 0, 2],
        [0, 2, 1, 1, 0],
    ],
    dtype=float,
)
w = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=float)
y = conv2d(x.reshape(1, 1, 5, 5), w.reshape(1, 1, 3, 3))[0, 0]
print("output feature map:\n", y)

# %%
# 上排：卷积核（红框）依次位于第 1、2、9 个位置，格子里写的是“像素 × 权重”；下排：到这一步为止已经算出的输出，新算出的数用红框标出。


def draw_grid(ax, values, shown=None, box=None, products=None, title=""):
    """Draw a grid of numbers; `shown` masks unfilled cells, `box` = (row, col, size)."""
    n = values.shape[0]
    for i in range(n):
        for j in range(n):
            filled = shown is None or shown[i, j]
            ax.add_patch(
                plt.Rectangle((j, n - 1 - i), 1, 1, fc="white" if filled else "0.92", ec="0.5")
            )
            if products is not None and box[0] <= i < box[0] + 3 and box[1] <= j < box[1] + 3:
                a, b = i - box[0], j - box[1]
                text = f"{values[i, j]:g}×{w[a, b]:g}"
                ax.text(j + 0.5, n - 0.5 - i, text, ha="center", va="center", fontsize=9)
            elif filled:
                ax.text(j + 0.5, n - 0.5 - i, f"{values[i, j]:g}", ha="center", va="center")
    if box is not None:
        r, c, s = box
        ax.add_patch(plt.Rectangle((c, n - r - s), s, s, fc="none", ec="C3", lw=2.5))
    ax.set_xlim(-0.05, n + 0.05)
    ax.set_ylim(-0.05, n + 0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


positions = [(0, 0), (0, 1), (2, 2)]
fig, axes = plt.subplots(2, 3, figsize=(9.5, 6.2), layout="constrained")
for k, (i, j) in enumerate(positions):
    window = x[i : i + 3, j : j + 3]
    terms = " + ".join(f"{v:g}" for v in (window * w).ravel() if v != 0)
    draw_grid(
        axes[0, k],
        x,
        box=(i, j, 3),
        products=True,
        title=f"position ({i}, {j}): {terms} = {y[i, j]:g}",
    )
    order = np.arange(9).reshape(3, 3)
    shown = order <= order[i, j]
    draw_grid(
        axes[1, k], y, shown=shown, box=(i, j, 1), title=f"output after step {order[i, j] + 1}"
    )
fig.suptitle(r"kernel $w$ = [[1, 0, -1], [1, 0, -1], [1, 0, -1]], stride $S=1$", fontsize=11)
plt.show()

# %%
# 第一个位置：左列像素之和 :math:`1 + 0 + 2 = 3` 减去右列之和 :math:`2 + 3 + 0 = 5`，得到 :math:`-2`。这个核计算的是“左边减右边”，在亮度从左到右变化的地方（竖直边缘）输出绝对值大的数。核向右走一格得到第二个数；走完第一行后回到左边、向下一格，共 :math:`3 \times 3 = 9` 个位置，填满输出特征图。
