"""What went wrong on a page, and where: every failure reckon reports is a :class:`Diagnostic`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Diagnostic"]


@dataclass(frozen=True)
class Diagnostic:
    """A failure located at a line (and column) of a Markdown file as written.

    Attributes:
        path: The page's path relative to the project, e.g. ``docs/q4.md``.
        line: The 1-based line in the file, front matter included.
        col: The 1-based column, or ``None`` when the whole line is meant.
        message: What happened, in words a page author understands.
        detail: More text to show under the message (a traceback pointing at Markdown lines).
    """

    path: str
    line: int
    col: int | None
    message: str
    detail: str = ""

    @property
    def location(self) -> str:
        """``docs/q4.md:31:12`` (or ``docs/q4.md:31`` without a column)."""
        where = f"{self.path}:{self.line}"
        return f"{where}:{self.col}" if self.col else where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def github_annotation(self) -> str:
        """The failure as a GitHub Actions workflow command, shown on the pull request's diff."""
        column = f",col={self.col}" if self.col else ""
        message = _escape_annotation(self.message + (f"\n{self.detail}" if self.detail else ""))
        return f"::error file={self.path},line={self.line}{column},title=reckon::{message}"


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
