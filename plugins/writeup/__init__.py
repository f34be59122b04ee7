"""The student's write-up of HW3 as submitted, and the defects this site finds in it.

Pages import what they need from here instead of reading one another's Markdown, so that a prose
edit to any page runs no code (a page's cached results depend on the modules and files its code
uses, never on a page's text):

- :data:`TEXT`, :data:`EQUATIONS` and :data:`SECTIONS`: the write-up (``write-up.txt``, beside
  this file, a verbatim copy of the submitted text), its numbered display equations and its
  sections;
- :func:`quote`: a quotation of the write-up, checked against its text;
- :mod:`writeup.errata`: the defects the errata page lists, and the presentation nits it merges
  into one note.
"""

from __future__ import annotations

import re
from importlib.resources import files

__all__ = ["EQUATIONS", "SECTIONS", "TEXT", "equation", "quote"]

#: The write-up exactly as submitted.
TEXT: str = files(__package__).joinpath("write-up.txt").read_text(encoding="utf-8")

#: Its numbered display equations: ``"3.1"`` → the LaTeX before ``\quad (3.1)``.
EQUATIONS: dict[str, str] = {number: body.strip() for body, number in re.findall(r"\$\$(.*?)(?:\\quad\s*)?\((\d\.\d+)\)\$\$", TEXT)}


def _sections(text: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if re.fullmatch(r"\d(\.\d)?", line.strip()):
            heading = line.strip()
            sections[heading] = ""
        elif heading:
            sections[heading] += line + "\n"
    return sections


#: Its sections: ``"3.4"`` → the text under the heading ``3.4``.
SECTIONS: dict[str, str] = _sections(TEXT)


def quote(text: str) -> str:
    """``text`` unchanged, after checking that the write-up says exactly that.

    Raises:
        ValueError: The write-up does not contain ``text``.
    """
    if text not in TEXT:
        raise ValueError(f"not in the write-up: {text!r}")
    return text


def equation(number: str) -> str:
    """The LaTeX body of the write-up's equation ``(number)``, e.g. ``equation("3.20")``.

    Raises:
        KeyError: The write-up has no such equation.
    """
    return EQUATIONS[number]
