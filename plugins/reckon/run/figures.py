"""Draw matplotlib figures for the site: a house style, SVG that is identical build after build,
and a dark variant made by swapping the palette's colours (see :mod:`reckon.theme`)."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from ..authoring.theme import LIGHT, swaps
from ..wire import FigureImages

__all__ = ["STYLE", "capture", "discard", "draw_svg", "prepare", "set_aside"]

#: rcParams every block starts from (after matplotlib's defaults).
STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "font.size": 11,
    "text.color": LIGHT.ink,
    "axes.labelcolor": LIGHT.ink,
    "axes.edgecolor": LIGHT.ink,
    "axes.titlecolor": LIGHT.ink,
    "xtick.color": LIGHT.ink,
    "ytick.color": LIGHT.ink,
    "grid.color": LIGHT.grid,
    "legend.facecolor": LIGHT.paper,
    "legend.edgecolor": LIGHT.grid,
    "patch.edgecolor": LIGHT.ink,
    "hatch.color": LIGHT.ink,
    "boxplot.flierprops.markeredgecolor": LIGHT.ink,
    "boxplot.boxprops.color": LIGHT.ink,
    "boxplot.whiskerprops.color": LIGHT.ink,
    "boxplot.capprops.color": LIGHT.ink,
    "boxplot.medianprops.color": LIGHT.ink,
    "svg.hashsalt": "reckon",
    "svg.fonttype": "path",
}


def _pyplot() -> Any | None:
    """pyplot if the page process has it (a page that never plots pays nothing)."""
    return sys.modules.get("matplotlib.pyplot")


_clean_rc: list[dict[str, Any]] = []  # rcParams as the last reset left them (empty: none yet)


def prepare() -> None:
    """Start a block from a clean slate: no open figure, matplotlib's defaults plus :data:`STYLE`."""
    pyplot = _pyplot()
    if pyplot is None:
        return
    import matplotlib

    if pyplot.get_fignums():
        pyplot.close("all")
    # Resetting costs ~3 ms a block; most blocks never touch rcParams, so compare first (dict's
    # own comparison: it does not go through RcParams' validating accessors).
    if _clean_rc and dict.__eq__(matplotlib.rcParams, _clean_rc[0]):
        return
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(STYLE)
    _clean_rc[:] = [dict.copy(cast("dict[str, Any]", matplotlib.rcParams))]


def capture(final_value: Any) -> tuple[FigureImages, ...]:
    """Draw every figure the block left open (and a figure it returned), then close them all."""
    pyplot = _pyplot()
    figures: list[Any] = []
    if pyplot is not None:
        figures = [pyplot.figure(number) for number in pyplot.get_fignums()]
    if _is_figure(final_value) and final_value not in figures:
        figures.append(final_value)
    images = []
    for figure in figures:
        light = draw_svg(figure)
        dark = light
        for light_colour, dark_colour in swaps():
            dark = dark.replace(light_colour, dark_colour)
        images.append(FigureImages(light, dark))
    discard()
    return tuple(images)


def discard() -> None:
    """Close every open figure without drawing it (its output is not shown)."""
    pyplot = _pyplot()
    if pyplot is not None:
        pyplot.close("all")


@contextlib.contextmanager
def set_aside() -> Iterator[None]:
    """Keep the open figures and rcParams of the running block out of reach of code run meanwhile.

    :func:`reckon.preview` runs a whole snippet, which starts each of its blocks with
    :func:`prepare` (closing every figure); the block that called it keeps what it had drawn.
    """
    pyplot = _pyplot()
    if pyplot is None:
        yield
        return
    import matplotlib
    from matplotlib._pylab_helpers import Gcf

    figures, settings = dict(Gcf.figs), dict.copy(matplotlib.rcParams)
    Gcf.figs.clear()  # not closed: only out of the snippet's sight
    try:
        yield
    finally:
        discard()
        Gcf.figs.update(figures)  # in their order, so the caller's current figure is current again
        dict.update(matplotlib.rcParams, settings)


def draw_svg(figure: Any) -> str:
    """The figure as SVG text with no date, so the same figure always gives the same bytes."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _is_figure(value: Any) -> bool:
    return type(value).__module__.startswith("matplotlib") and hasattr(value, "savefig")
