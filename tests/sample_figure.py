"""A figure with every kind of themed artist, for the tests of how reckon writes figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from reckon import theme
from reckon.run import figures


def draw_sample(suptitle_colour: str = theme.ink) -> str:
    """Text, ticks, grid, legend, hatches, markers, a colour map and an image, as SVG; ``suptitle_colour`` for the title."""
    figures.prepare()
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1, 2], [0, 1, 4], "o-", label="line")
    left.axhline(1, color=theme.muted, linestyle="--")
    left.bar([0.5], [2], hatch="//", edgecolor=theme.ink, facecolor=theme.paper)
    left.annotate("peak", (2, 4), xytext=(1, 3), arrowprops={"arrowstyle": "->", "color": theme.muted})
    left.grid(True)
    left.legend(title="legend")
    left.set_title("title")
    right.imshow(np.arange(9.0).reshape(3, 3), cmap="viridis")
    right.scatter([0, 1], [1, 2], c=[0.0, 1.0], cmap="magma", edgecolors=theme.ink)
    fig.suptitle("suptitle", color=suptitle_colour)
    svg = figures.draw_svg(fig)
    plt.close("all")
    return svg
