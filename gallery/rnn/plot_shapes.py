"""
循环神经网络的五种用法
======================

按输入和输出各是一个还是一串，循环神经网络有五种常见的用法：一对一、一对多、多对一、对齐的多对多和不对齐的多对多（编码器–解码器）。
"""

import matplotlib.pyplot as plt

# %%
# 每一组方框是一种用法，名称写在上方，例子写在下方；组里的每一列是一个时间步，自下而上依次是输入（蓝）、隐藏状态（红）和输出（绿），横向的箭头是隐藏状态沿时间传递。空着的位置表示那一步没有输入或不使用输出。


fig, ax = plt.subplots(figsize=(10, 3.0), layout="constrained")


def arrow(tail, head, color):
    ax.annotate("", xy=head, xytext=tail, arrowprops=dict(arrowstyle="-|>", color=color, lw=1.5))


def draw(x0, inputs, outputs, title, example):
    """One pattern, its first step at x = x0: input (blue), state (red), output (green)."""
    for t, (has_in, has_out) in enumerate(zip(inputs, outputs, strict=True)):
        x = x0 + t
        ax.add_patch(plt.Rectangle((x - 0.3, 0.7), 0.6, 0.6, fc="#fbe3d6", ec="black"))
        if has_in:
            ax.add_patch(plt.Rectangle((x - 0.3, -0.3), 0.6, 0.6, fc="#dbe9f6", ec="black"))
            arrow((x, 0.3), (x, 0.7), "tab:blue")
        if has_out:
            ax.add_patch(plt.Rectangle((x - 0.3, 1.7), 0.6, 0.6, fc="#dcefd9", ec="black"))
            arrow((x, 1.3), (x, 1.7), "tab:green")
        if t:
            arrow((x - 0.7, 1.0), (x - 0.3, 1.0), "tab:red")
    centre = x0 + (len(inputs) - 1) / 2
    ax.text(centre, 2.55, title, ha="center", va="bottom", fontsize=10, fontweight="bold")
    ax.text(centre, -0.45, example, ha="center", va="top", fontsize=10)


draw(0, [1], [1], "one-to-one", "image class")
draw(2.2, [1, 0, 0], [1, 1, 1], "one-to-many", "image caption")
draw(5.8, [1, 1, 1], [0, 0, 1], "many-to-one", "sentiment")
draw(9.7, [1, 1, 1], [1, 1, 1], "many-to-many\n(aligned)", "sequence labelling")
draw(13.6, [1, 1, 1, 0, 0], [0, 0, 0, 1, 1], "many-to-many\n(encoder-decoder)", "translation")
ax.set_xlim(-0.8, 18.4)
ax.set_ylim(-1.0, 3.3)
ax.set_aspect("equal")
ax.axis("off")
plt.show()
