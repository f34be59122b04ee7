"""Colours that follow the site's light/dark palette.

Every figure is drawn once, in the light palette, and written as one SVG that shows either palette:
in the dark one, each light colour below is swapped for its dark counterpart. Only these colours change;
colour maps and any colour a page names itself (``"black"``, ``"C0"``, ``"#ff8800"``) stay as they
are, so a heat map means the same thing in both palettes. Use them for anything that should read as
"the text colour" or "the page background"::

    from reckon import theme
    ax.axhline(0, color=theme.muted)
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

__all__ = ["DARK", "LIGHT", "Palette", "grid", "ink", "muted", "paper", "swaps"]


@dataclass(frozen=True)
class Palette:
    """The four themed colours, as ``#rrggbb``.

    Attributes:
        ink: Text, axes, ticks, outlines.
        muted: Secondary text and lines.
        grid: Grid lines, light rules, legend frames.
        paper: Surfaces that should look like the page (legend backgrounds, masks).
    """

    ink: str
    muted: str
    grid: str
    paper: str


# Unusual values on purpose: a colour map never lands on them by chance, so swapping them in the
# SVG text changes nothing else.
LIGHT = Palette(ink="#1f2329", muted="#5d6471", grid="#d4d7dd", paper="#fefefd")
DARK = Palette(ink="#e3e5ea", muted="#a3aab7", grid="#3c414c", paper="#1f222a")

ink, muted, grid, paper = astuple(LIGHT)


def swaps() -> list[tuple[str, str]]:
    """Pairs ``(light, dark)`` to replace in a light SVG to make the dark one."""
    return list(zip(astuple(LIGHT), astuple(DARK), strict=True))
