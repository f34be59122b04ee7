"""Draw matplotlib figures for the site: a house style, SVG that is identical build after build,
and one file that serves both palettes (see :mod:`reckon.theme`).

Each figure is drawn once, in the light palette. Its themed colours then become CSS variables
whose fallback is the light colour, and the SVG's own stylesheet sets them to the dark colours
when the SVG is shown as ``figure.svg#only-dark`` (the fragment targets the root element, so
``:target`` matches). A page shows the one file twice, ``#only-light`` and ``#only-dark`` (the
convention Material's palettes and reckon's stylesheet hide by), and the browser fetches it once.
Opened on its own, or in a viewer without CSS variables, the file is the light figure.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import fields
from typing import Any, cast

from ..authoring.theme import DARK, LIGHT
from ..wire import FigureImages

__all__ = ["DARK_FRAGMENT", "STYLE", "capture", "discard", "draw_svg", "palette_aware", "prepare", "resolve", "set_aside"]

#: The URL fragment that shows a palette-aware SVG in the dark palette.
DARK_FRAGMENT = "only-dark"

#: rcParams every block starts from (after matplotlib's defaults). The size and the font go
#: together: a 6-inch figure shown on a 390 px phone (about 340 px of text width) keeps 12 pt
#: labels at 9 px or more, and on a desktop, at its own size, they are as large as the text.
STYLE: dict[str, Any] = {
    "figure.figsize": (6.0, 3.75),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "font.size": 12,
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
    params = cast("dict[str, Any]", matplotlib.rcParams)  # its stubs key it by literal names only
    params.update(STYLE)
    _clean_rc[:] = [dict.copy(params)]


def capture(final_value: Any) -> tuple[FigureImages, ...]:
    """Draw every figure the block left open (and a figure it returned), then close them all."""
    pyplot = _pyplot()
    figures: list[Any] = []
    if pyplot is not None:
        figures = [pyplot.figure(number) for number in pyplot.get_fignums()]
    if _is_figure(final_value) and final_value not in figures:
        figures.append(final_value)
    images = tuple(FigureImages(palette_aware(draw_svg(figure))) for figure in figures)
    discard()
    return images


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
    with _laid_out(figure):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


@contextlib.contextmanager
def _laid_out(figure: Any) -> Iterator[None]:
    """Run the figure's layout engine (constrained layout, in :data:`STYLE`) once, then keep it out of savefig's way.

    Given a figure with a layout engine, savefig first draws the whole figure with drawing
    switched off, only so that the engine runs, and then draws it for real: a draw and a half
    (a fifth of a figure's time) spent before the first byte. Here the engine runs alone, on an
    SVG renderer as in that first draw, and savefig draws once: the same bytes, sooner. The engine
    is the figure's again afterwards, for a block that shows the figure again after changing it.
    """
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = figure.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine) or not figure.axes:  # nothing for the first draw to run
        yield
        return

    canvas, dpi = figure.canvas, figure.dpi
    FigureCanvasSVG(figure)  # the renderer the layout measures text with is the one savefig draws on
    try:
        with contextlib.suppress(ValueError):  # as Figure.draw does: a layout that cannot be made is skipped
            engine.execute(figure)
    finally:
        figure.dpi = dpi  # measuring for SVG sets it to 72; savefig sets it back the same way
        figure.set_canvas(canvas)
    figure._layout_engine = None  # matplotlib's own attribute: savefig's set_layout_engine("none") would keep its first draw
    try:
        yield
    finally:
        figure._layout_engine = engine


_THEMED = [(field.name, getattr(LIGHT, field.name), getattr(DARK, field.name)) for field in fields(LIGHT)]
_DARK_OF = {light: dark for _name, light, dark in _THEMED}
_STYLE_ATTRIBUTE = re.compile(r'(?<=\sstyle=")[^"]*')
_THEMED_COLOUR = re.compile("|".join(re.escape(light) for _name, light, _dark in _THEMED))
# A few artists (hatch backgrounds) get a presentation attribute instead, which a stylesheet rule
# outranks: those are recoloured by a rule that matches the attribute.
_COLOUR_ATTRIBUTE = re.compile(r'\s(fill|stroke|stop-color)="(' + _THEMED_COLOUR.pattern + ')"')
_VARIABLE = {light: f"var(--reckon-{name}, {light})" for name, light, _dark in _THEMED}
_DARK_RULE = ":root:target{" + ";".join(f"--reckon-{name}:{dark}" for name, _light, dark in _THEMED) + "}"
_RESOLVED = re.compile(r"var\(--reckon-(\w+), (#[0-9a-f]{6})\)")


def palette_aware(svg: str) -> str:
    """One SVG for both palettes: light as drawn, dark when shown as ``file.svg#only-dark``.

    Only the :mod:`reckon.theme` colours change (in ``style`` attributes, where matplotlib writes
    nearly every colour, and in ``fill``/``stroke`` attributes); colour maps, raster images and
    colours a page names itself stay as drawn.
    """
    rules = _dark_rules(svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _THEMED_COLOUR.sub(lambda colour: _VARIABLE[colour[0]], match[0]), svg)
    svg = svg.replace("<svg ", f'<svg id="{DARK_FRAGMENT}" ', 1)
    opening = '<style type="text/css">'
    if opening not in svg:  # matplotlib always writes one; a stand-in keeps this total
        svg = re.sub(r"(<svg\b[^>]*>)", lambda match: f"{match[1]}{opening}</style>", svg, count=1)
    return svg.replace(opening, opening + rules, 1)


def _dark_rules(svg: str) -> str:
    attributes = sorted(set(_COLOUR_ATTRIBUTE.findall(svg)))
    return _DARK_RULE + "".join(f':root:target [{name}="{light}"]{{{name}:{_DARK_OF[light]}}}' for name, light in attributes)


def resolve(svg: str, palette: str) -> str:
    """Undo :func:`palette_aware` for one palette (``light`` or ``dark``): plain colours, no rules, no id.

    ``resolve(palette_aware(drawn), "light") == drawn``; the dark result is the drawing with each
    light theme colour swapped for its dark one.
    """
    colours = {name: (light if palette == "light" else dark) for name, light, dark in _THEMED}
    svg = svg.replace(f'<svg id="{DARK_FRAGMENT}" ', "<svg ", 1)
    svg = re.sub(r"(?<=<style type=\"text/css\">):root:target\{[^}]*\}(?::root:target \[[^]]*\]\{[^}]*\})*", "", svg, count=1)
    svg = _RESOLVED.sub(lambda match: colours[match[1]], svg).replace('<style type="text/css"></style>', "", 1)
    if palette == "dark":
        svg = _COLOUR_ATTRIBUTE.sub(lambda match: match[0].replace(match[2], _DARK_OF[match[2]]), svg)
    return svg


def _is_figure(value: Any) -> bool:
    return type(value).__module__.startswith("matplotlib") and hasattr(value, "savefig")
