"""A figure is drawn once, and its bytes are what matplotlib's own savefig writes.

savefig, given a figure with a layout engine, draws the figure twice: once with drawing switched
off so that the engine runs, then for real. reckon runs the engine alone and lets savefig draw
once (see ``reckon.run.figures._laid_out``). The oracle is matplotlib's unmodified savefig, on
figures of every kind of layout, drawn again, and drawn again after a change.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import pyplot  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from reckon.run import figures  # noqa: E402


def matplotlib_svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def line() -> Any:
    figure, axes = pyplot.subplots()
    axes.plot(np.cumsum(np.random.default_rng(0).standard_normal(200)))
    axes.set(title="A walk", xlabel="step", ylabel="a long label, with units (m/s)")
    return figure


def grid_with_suptitle() -> Any:
    figure, grid = pyplot.subplots(2, 3, sharex=True)
    for number, axes in enumerate(grid.flat):
        axes.plot(np.arange(10) ** (number / 3))
        axes.set_title(f"panel {number}")
    figure.suptitle("Six panels")
    figure.supxlabel("x")
    return figure


def colorbar_and_legend_outside() -> Any:
    figure, (image, histogram) = pyplot.subplots(1, 2)
    figure.colorbar(image.imshow(np.arange(25.0).reshape(5, 5)), ax=[image, histogram])
    histogram.hist(np.linspace(0, 1, 50), label="uniform")
    figure.legend(loc="outside right upper")
    return figure


def subfigures_twin_axes_and_math() -> Any:
    figure = pyplot.figure()
    left, right = figure.subfigures(1, 2)
    axes = left.subplots()
    axes.plot([1, 2, 3])
    axes.twinx().plot([300, 100, 200])
    right.add_subplot(projection="polar").plot(np.linspace(0, 6, 50), np.linspace(0, 1, 50))
    right.suptitle(r"$\sum_i x_i^2$")
    return figure


def tight_layout() -> Any:
    figure, grid = pyplot.subplots(2, 2, layout="tight")
    grid[0, 0].set_title("tight")
    return figure


def compressed_layout() -> Any:
    figure, grid = pyplot.subplots(2, 2, layout="compressed", figsize=(4, 4))
    for axes in grid.flat:
        axes.imshow(np.eye(4))
    return figure


def no_layout() -> Any:
    figure, axes = pyplot.subplots(layout="none")
    axes.plot([1, 2])
    return figure


def no_axes() -> Any:
    figure = pyplot.figure()
    figure.text(0.5, 0.5, "only text")
    return figure


def tight_bounding_box() -> Any:
    matplotlib.rcParams["savefig.bbox"] = "tight"
    figure, axes = pyplot.subplots()
    axes.set_title("saved with a tight box")
    return figure


def without_pyplot() -> Any:
    figure = Figure(layout="constrained")
    figure.subplots().set_title("made without pyplot")
    return figure


KINDS: list[Callable[[], Any]] = [
    line,
    grid_with_suptitle,
    colorbar_and_legend_outside,
    subfigures_twin_axes_and_math,
    tight_layout,
    compressed_layout,
    no_layout,
    no_axes,
    tight_bounding_box,
    without_pyplot,
]


@pytest.fixture(autouse=True)
def house_style() -> Iterator[None]:
    with matplotlib.rc_context():
        figures.prepare()
        yield
        pyplot.close("all")


def drawings(make: Callable[[], Any], draw: Callable[[Any], str]) -> list[str]:
    """The figure drawn, drawn again, and drawn after a change (as a later block may show it)."""
    with matplotlib.rc_context():
        figure = make()
        first, again = draw(figure), draw(figure)
        if figure.axes:
            figure.axes[0].set_title("changed after it was shown", loc="left")
        else:
            figure.text(0.1, 0.1, "changed after it was shown")
        return [first, again, draw(figure)]


@pytest.mark.parametrize("make", KINDS, ids=[make.__name__ for make in KINDS])
def test_the_svg_is_byte_for_byte_what_matplotlibs_savefig_writes(make: Callable[[], Any]) -> None:
    ours = drawings(make, figures.draw_svg)
    assert ours == drawings(make, matplotlib_svg)
    # A second drawing may differ from the first (constrained layout settles further), as in matplotlib.
    assert ours[1] != ours[2]


def draws(make: Callable[[], Any], draw: Callable[[Any], str]) -> int:
    figure = make()
    count = [0]
    figure.canvas.mpl_connect("draw_event", lambda event: count.__setitem__(0, count[0] + 1))
    draw(figure)
    return count[0]


def test_a_figure_with_constrained_layout_is_drawn_once_where_savefig_draws_it_twice() -> None:
    assert draws(line, matplotlib_svg) == 2  # the premise: savefig's first draw only runs the layout
    assert draws(line, figures.draw_svg) == 1


def test_the_figure_is_left_as_it_was_its_layout_engine_canvas_and_resolution() -> None:
    figure = line()
    engine, canvas, dpi = figure.get_layout_engine(), figure.canvas, figure.dpi
    figures.draw_svg(figure)
    assert (figure.get_layout_engine(), figure.canvas, figure.dpi) == (engine, canvas, dpi)
