"""The defects of the write-up that the errata page lists, in the page's order.

Each :class:`Defect` names its anchor on the errata page, its severity, a one-line summary and
where in the write-up it is, with quotations that are checked against the write-up's text when this
module is imported. The home page counts them and the question pages link to their anchors; the
site's tests check that the errata page has a section for each, in this order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from writeup import quote

__all__ = ["BY_ID", "DEFECTS", "PRESENTATION", "SEVERITIES", "Defect", "Nit", "counts"]

#: How bad a defect is: false as written; true only under an unstated condition; part of a
#: question left unanswered.
SEVERITIES = ("wrong", "imprecise", "incomplete")


@dataclass(frozen=True)
class Defect:
    """One defect: its anchor on the errata page, how bad it is, and where it is."""

    id: str
    severity: str
    summary: str
    where: str
    quotes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: unknown severity {self.severity!r}")
        for text in self.quotes:
            quote(text)

    @property
    def question(self) -> str:
        """``Q1`` … ``Q4``, from the anchor."""
        match = re.match(r"q(\d)-", self.id)
        return f"Q{match[1]}" if match else "all"


DEFECTS: tuple[Defect, ...] = (
    Defect(
        "q1-missing-result",
        "incomplete",
        "Q1(a): the filtered image is not given",
        "§1.1",
        ("The result of this convolution is as follows (see theory.ipynb):", "Figure 1: Result of convolution."),
    ),
    Defect(
        "q1-average-pooling",
        "imprecise",
        "“average pooling” equals the filter only with stride one, on the interior",
        "§1.2",
        (
            "This filter act similar to a average pooling filter with $kernel_size = (3,3)$",
            "each pixel is replaced by the average of its 8 neighbors and itself.",
        ),
    ),
    Defect("q1-low-pass", "incomplete", "Q1(b): the operation (a blur, a low-pass filter) is never named", "§1.2"),
    Defect(
        "q2-unevaluated-parameters",
        "incomplete",
        "Q2: parameter counts left as products, and no total",
        "§2, the table's Parameters column",
        (r"$3 \times 3 \times 3 \times 10 + 10$", r"$3 \times 3 \times 10 \times 20 + 20$", r"$180 \times 10 + 10$"),
    ),
    Defect(
        "q2-pooling-formula",
        "imprecise",
        "the size formula is stated for convolutions only, and its floored step is not shown",
        "§2, equations (2.1) and (2.2)",
        (r"after a $Conv_k - N(S, P)$ layer is $H' \times W' \times N$",),
    ),
    Defect(
        "q3-output-bias",
        "wrong",
        "(3.1) gives the output the convolution's bias b instead of a",
        "§3.2, equation (3.1)",
        (r"$$\hat{y} = w_1 v_1 + w_2 v_2 + b \quad (3.1)$$",),
    ),
    Defect(
        "q3-tie-rule",
        "imprecise",
        "the tie rule is one convention, not PyTorch's, and a maximum of 0 is settled silently",
        "§3.3, equations (3.12)–(3.14)",
        ("(Assuming ties are broken in favor of z_1 and z_3).",),
    ),
    Defect("q3-k4", "incomplete", "Q3(d): ∂L/∂k4 is not answered", "§3.4, equations (3.16)–(3.19)"),
    Defect(
        "q3-general-layer",
        "imprecise",
        "(3.20) never defines m, and holds only for unit stride without padding",
        "§3.5, equation (3.20)",
        (r"\alpha_1 x_j + \alpha_2 x_{j+1} + \cdots + \alpha_m x_{n-d+j}",),
    ),
    Defect(
        "q4-floor",
        "incomplete",
        "(4.1) drops the floor: k = 10 is one of three kernel sizes that fit",
        "§4.1–§4.3, equations (4.1)–(4.4)",
        (r"$$\frac{205 - k}{3} + 1 = 66 \quad (4.1)$$", r"$$\implies k = 205 - 65 \times 3 = 10 \quad (4.2)$$"),
    ),
    Defect(
        "q4-square-kernel",
        "imprecise",
        "a square kernel is assumed but stated as a deduction",
        "§4.1",
        ("Since the kernel acts similarly on width and height of the input, it is a square kernel.",),
    ),
)

BY_ID: dict[str, Defect] = {defect.id: defect for defect in DEFECTS}


def counts() -> dict[str, int]:
    """How many defects have each severity."""
    return {level: sum(defect.severity == level for defect in DEFECTS) for level in SEVERITIES}


@dataclass(frozen=True)
class Nit:
    """A slip of presentation: where, the write-up's source (checked), what it should be, and why."""

    where: str
    source: str
    corrected: str
    why: str

    def __post_init__(self) -> None:
        quote(self.source)


#: The presentation slips the errata page merges into one note: none changes an answer.
PRESENTATION: tuple[Nit, ...] = (
    Nit("§1.2", "This filter act similar to a average pooling filter", "This filter acts like an average-pooling filter", "grammar"),
    Nit("§1.2", r"$kernel_size = (3,3)$", "`kernel_size=(3, 3)`", "in math, `_` makes a subscript of the s"),
    Nit("§2", r"$Conv_k - N(S, P)$", r"$\mathrm{CONV}k\text{-}N(S,P)$", "k becomes a subscript, the hyphen a minus sign"),
    Nit("§3.1", r"$k_1, k_2, k_3, b, w_1, w_2$ and a", r"$k_1, k_2, k_3, b, w_1, w_2$ and $a$", "the parameter a reads as the article"),
    Nit("§3.3", "$$(3.15)$$", "delete it", "an equation number with no equation"),
    Nit("§3.3", "in favor of z_1 and z_3", "in favor of $z_1$ and $z_3$", "outside math the underscores stay"),
    Nit("(4.3), (4.4)", "= 96,096", r"$96{,}096$", "in math a comma adds a thin space: 96, 096"),
)
