"""
循环神经网络的展开图
====================

左边是带环的循环神经网络：隐藏状态 :math:`h` 经过权重 :math:`W_{hh}` 回到自己。右边把这个环沿时间展开成一条链，每个时刻都有输入 :math:`x_t`、隐藏状态 :math:`h_t` 和输出 :math:`y_t`，三组权重在所有时刻共享。
"""

import matplotlib.pyplot as plt

# %%
# 图只画结构，不涉及计算。方框是向量，箭头是“乘一个权重矩阵再相加”，同色的箭头是同一个矩阵。

fig, ax = plt.subplots(figsize=(10, 3.8), layout="constrained")
ax.set_xlim(-0.6, 10.6)
ax.set_ylim(-0.6, 4.0)
ax.axis("off")
colours = {"ih": "tab:blue", "hh": "tab:red", "hy": "tab:green"}


def box(x, y, text, colour):
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=13,
        bbox=dict(boxstyle="round,pad=0.35", fc=colour, ec="black"),
    )


def arrow(x0, y0, x1, y1, colour, label=None, **kw):
    ax.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        arrowprops=dict(arrowstyle="-|>", color=colour, lw=2, **kw),
    )
    if label:
        ax.text(
            (x0 + x1) / 2 + 0.12,
            (y0 + y1) / 2,
            label,
            color=colour,
            fontsize=11,
            ha="left",
            va="center",
        )


# folded network
box(0.5, 0, r"$x_t$", "#dbe9f6")
box(0.5, 1.6, r"$h_t$", "#fbe3d6")
box(0.5, 3.2, r"$y_t$", "#dcefd9")
arrow(0.5, 0.35, 0.5, 1.25, colours["ih"], r"$W_{ih}$")
arrow(0.5, 1.95, 0.5, 2.85, colours["hy"], r"$W_{hy}$")
ax.annotate(
    "",
    xy=(0.15, 1.75),
    xytext=(0.15, 1.45),
    arrowprops=dict(arrowstyle="-|>", color=colours["hh"], lw=2, connectionstyle="arc3,rad=-2.6"),
)
ax.text(-0.5, 2.05, r"$W_{hh}$", color=colours["hh"], fontsize=11, ha="center", va="center")
ax.text(2.0, 1.6, "unroll\n=", fontsize=13, ha="center", va="center")

# unrolled chain
xs = [3.4, 5.4, 7.4, 9.4]
names = ["1", "2", "3", "T"]
box(2.6, 1.6, r"$h_0$", "#eeeeee")
for i, (x, n) in enumerate(zip(xs, names, strict=True)):
    box(x, 0, rf"$x_{n}$", "#dbe9f6")
    box(x, 1.6, rf"$h_{n}$", "#fbe3d6")
    box(x, 3.2, rf"$y_{n}$", "#dcefd9")
    arrow(x, 0.35, x, 1.25, colours["ih"], r"$W_{ih}$" if i == 0 else None)
    arrow(x, 1.95, x, 2.85, colours["hy"], r"$W_{hy}$" if i == 0 else None)
    x_prev = xs[i - 1] if i else 2.6
    arrow(
        x_prev + 0.38, 1.6, x - 0.38, 1.6, colours["hh"], None, linestyle=":" if n == "T" else "-"
    )
    ax.text((x_prev + x) / 2, 1.85, r"$W_{hh}$", color=colours["hh"], fontsize=10, ha="center")
ax.text(8.4, 0.0, r"$\cdots$", fontsize=14, ha="center", va="center")
ax.set_title(
    r"$h_t=\tanh(W_{ih}x_t+b_{ih}+W_{hh}h_{t-1}+b_{hh}),\quad y_t=W_{hy}h_t+b_y$"
    "  (same weights at every step)",
    fontsize=12,
)
plt.show()
