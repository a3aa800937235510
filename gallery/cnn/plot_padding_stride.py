"""
填充与步长决定输出的大小
========================

同一个 :math:`3 \\times 3` 卷积核，在不同的输入大小 :math:`P`、步长 :math:`S` 和填充 :math:`T` 下，能放下的位置数 :math:`M = \\lfloor (P - F + 2T)/S \\rfloor + 1` 不同。:math:`M` 由 ``dlnotes.conv_output_size`` 计算。
"""

import matplotlib.pyplot as plt

from dlnotes import conv_output_size

# %%
# 每幅图画出一行输入（灰色为补的 0），以及卷积核每个位置覆盖的范围（彩色横条，从下往上依次是第 1、2、… 个位置）。最后一幅中 :math:`(6 - 3)/2 = 1.5`，向下取整：最右边一列（斜线）不会被任何位置用到。

settings = [(5, 3, 1, 0), (5, 3, 2, 0), (5, 3, 1, 1), (6, 3, 2, 0)]
for P, F, S, T in settings:
    print(f"P={P}, F={F}, S={S}, T={T}: M = {conv_output_size(P, F, S=S, T=T)}")

fig, axes = plt.subplots(2, 2, figsize=(9.5, 4.6), layout="constrained")
for ax, (P, F, S, T) in zip(axes.ravel(), settings, strict=True):
    M = conv_output_size(P, F, S=S, T=T)
    n = P + 2 * T
    covered = (M - 1) * S + F  # cells reached by the last position
    for c in range(n):
        pad = c < T or c >= T + P
        unused = c >= covered
        ax.add_patch(
            plt.Rectangle(
                (c, 0), 1, 1, fc="0.85" if pad else "white", ec="k", hatch="//" if unused else None
            )
        )
        label = "0" if pad else f"$x_{{{c - T + 1}}}$"
        ax.text(c + 0.5, 0.5, label, ha="center", va="center", fontsize=11)
        if unused:
            ax.text(c + 0.5, -0.35, "unused", ha="center", va="center", fontsize=9, color="C3")
    for m in range(M):
        start = m * S
        ax.add_patch(
            plt.Rectangle(
                (start + 0.05, 1.3 + 0.55 * m), F - 0.1, 0.4, fc=f"C{m}", alpha=0.6, ec=f"C{m}"
            )
        )
        ax.text(start + F / 2, 1.5 + 0.55 * m, f"position {m + 1}", ha="center", va="center")
    ax.set_xlim(-0.2, 7.2)
    ax.set_ylim(-0.6, 1.4 + 0.55 * 5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        rf"$P={P},\ F={F},\ S={S},\ T={T}$:  $M=\lfloor({P}-{F}+{2 * T})/{S}\rfloor+1={M}$",
        fontsize=10,
    )
plt.show()

# %%
# 左上：不填充、步长 1，:math:`5 - 3 + 1 = 3` 个位置，输出比输入小。右上：步长 2，卷积核的位置减为 2 个。左下：两边各补 1 个 0，:math:`T = (F - 1)/2 = 1`，输出与输入一样大（5 个位置）。右下：步长 2 时 6 个像素只能放下卷积核的 2 个位置，第 3 个位置会越过边缘，不取。
