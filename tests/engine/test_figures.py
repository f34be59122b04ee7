"""One drawing serves both palettes: the palette-aware SVG against the two files reckon used to write."""

from __future__ import annotations

import re

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from reckon import theme  # noqa: E402
from reckon.run import figures  # noqa: E402
from sample_figure import draw_sample  # noqa: E402


@pytest.fixture
def drawn() -> str:
    """A figure with every kind of themed artist: text, ticks, grid, legend, hatches, markers, a colour map, an image."""
    return draw_sample()


def old_dark(svg: str) -> str:
    """The dark file as reckon wrote it before: the light drawing with each theme colour swapped."""
    for light, dark in theme.swaps():
        svg = svg.replace(light, dark)
    return svg


def test_every_theme_colour_becomes_a_variable_and_nothing_else_changes(drawn: str) -> None:
    aware = figures.palette_aware(drawn)
    for name, light in (("ink", theme.LIGHT.ink), ("muted", theme.LIGHT.muted), ("grid", theme.LIGHT.grid), ("paper", theme.LIGHT.paper)):
        assert f"var(--reckon-{name}, {light})" in aware, name  # the fixture uses all four
        # Left as written only where a dark rule matches it (a hatch's background).
        drawing = re.sub(r"(?s)<style.*?</style>", "", aware)
        for left in re.finditer(rf"(?<!, ){light}", drawing):
            attribute = re.match(r'(?s).*\s([a-z-]+)="$', drawing[: left.start()])
            assert attribute is not None, drawing[left.start() - 80 : left.end()]
            assert f':root:target [{attribute[1]}="{light}"]{{{attribute[1]}:' in aware, attribute[1]
    assert figures.resolve(aware, "light") == drawn


def test_the_dark_palette_is_the_old_dark_file_colour_for_colour(drawn: str) -> None:
    assert figures.resolve(figures.palette_aware(drawn), "dark") == old_dark(drawn) != drawn


def test_the_file_is_the_same_bytes_every_time(drawn: str) -> None:
    assert figures.palette_aware(drawn) == figures.palette_aware(drawn)
    assert figures.palette_aware(drawn).count('id="only-dark"') == 1
