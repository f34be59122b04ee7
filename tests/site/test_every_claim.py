"""The site's own pages: every number is computed or checked, and every claim can fail.

Each page runs once in a real page process; then every claim on it, one at a time, is given a
wrong literal and the page is assembled again from the same results, which is what a build does
after a prose edit. Each must fail at its own line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reckon.page.assemble import assemble_page
from reckon.page.inline import InlineSplit
from reckon.page.plan import PagePlan, PlannedBlock, PlannedInline, plan_page
from reckon.page.scan import Prose
from reckon.run.pool import PagePool
from reckon.wire import ProgramResult

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(path.relative_to(ROOT / "docs").as_posix() for path in (ROOT / "docs").glob("*.md"))


def plan_of(page: str) -> PagePlan:
    source = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return plan_page(source, path=f"docs/{page}", src_uri=page, source=source)


def wrong(literal: str) -> str:
    """The literal with its last digit moved by five (or a letter appended if it has no digit)."""
    for index in range(len(literal) - 1, -1, -1):
        if literal[index].isdigit():
            return literal[:index] + str((int(literal[index]) + 5) % 10) + literal[index + 1 :]
    return literal + "x"


def claims(plan: PagePlan) -> Iterator[PlannedInline]:
    """Every checked claim on a page, captions and alt texts included."""
    for item in plan.items:
        parts = (*item.caption, *item.alt) if isinstance(item, PlannedBlock) else (item,)
        for part in parts:
            if isinstance(part, PlannedInline) and part.split.literal is not None:
                yield part


def with_literal(plan: PagePlan, target: PlannedInline, literal: str) -> PagePlan:
    def swap(part):  # type: ignore[no-untyped-def]
        if part is target:
            return replace(part, split=InlineSplit(part.split.expression, literal, part.split.literal_offset))
        return part

    items = []
    for item in plan.items:
        swapped = (
            replace(item, caption=tuple(map(swap, item.caption)), alt=tuple(map(swap, item.alt)))
            if isinstance(item, PlannedBlock)
            else item
        )
        items.append(swap(swapped))
    return replace(plan, items=items)


# Every page that states a checked claim (the Performance page shows measurements, not claims).
PAGES_WITH_CLAIMS = [page for page in PAGES if any(claims(plan_of(page)))]


def test_the_question_pages_errata_home_and_guide_all_state_checked_claims() -> None:
    expected = {"index.md", "q1-mean-filter.md", "q2-shapes.md", "q3-backprop.md", "q4-kernel.md", "errata.md", "guide.md"}
    assert expected <= set(PAGES_WITH_CLAIMS)


@pytest.fixture(scope="module")
def run_pages(page_pool: PagePool) -> dict[str, tuple[PagePlan, ProgramResult]]:
    plans = {page: plan_of(page) for page in PAGES_WITH_CLAIMS}
    futures = {page: page_pool.submit(plan.program, 120) for page, plan in plans.items()}
    return {page: (plans[page], future.result()) for page, future in futures.items()}


@pytest.mark.parametrize("page", PAGES_WITH_CLAIMS)
def test_every_claim_on_the_page_fails_the_build_at_its_line_when_its_literal_changes(
    page: str, run_pages: dict[str, tuple[PagePlan, ProgramResult]]
) -> None:
    plan, result = run_pages[page]
    baseline = assemble_page(plan, result)
    assert baseline.diagnostics == [], [str(diagnostic) for diagnostic in baseline.diagnostics]
    for claim in claims(plan):
        literal = claim.split.literal
        assert literal is not None
        mutated = assemble_page(with_literal(plan, claim, wrong(literal)), result)
        column = claim.segment.code_col + claim.split.literal_offset
        located = [d for d in mutated.diagnostics if (d.line, d.col) == (claim.segment.line, column)]
        assert located, f"docs/{page}:{claim.segment.line}: changing `{literal}` to `{wrong(literal)}` did not fail there"


NUMBER = re.compile(r"(?<![\w.{\\])(\d{1,3}(?:,\d{3})+|\d{3,}|\d+\.\d+)(?![\w}])")
# The only numbers prose may carry bare: the write-up's equation and section numbers, "(2.1)",
# "§4.1", "section 1.2", the same numbers inside a quoted equation reference, and a link's address
# (a source cited as `[guide](https://arxiv.org/abs/1603.07285)` states no number).
# The write-up's section labels are 1.1, 1.2, 3.1–3.5 and 4.1–4.3; its equations are (2.1)–(4.4).
WRITE_UP_SECTIONS = r"(?<![\d.])(?:1\.[12]|3\.[1-5]|4\.[1-3])(?![\d])"
ALLOWED = re.compile(
    r"\]\([^)\s]*\)|"  # a link's address
    r"\((\d+\.\d+)\)|§\s?\d+(\.\d+)*|(sections?|equations?|eqs?\.?)\s+\d+(\.\d+)*(?:\s*(?:–|-|and|to)\s*\d+(\.\d+)*)?|" + WRITE_UP_SECTIONS,
    re.IGNORECASE,
)


@pytest.mark.parametrize("page", PAGES)
def test_prose_carries_no_number_that_is_neither_computed_nor_checked(page: str) -> None:
    plan = plan_page((ROOT / "docs" / page).read_text(encoding="utf-8"), path=f"docs/{page}", src_uri=page)
    bare = []
    for item in plan.items:
        if not isinstance(item, Prose):
            continue
        for offset, line in enumerate(item.text.split("\n")):
            if line.lstrip().startswith(("<!--", "|:-", "#")):
                continue
            text = ALLOWED.sub("", line)
            bare += [f"docs/{page}:{item.line + offset}: {match[1]}" for match in NUMBER.finditer(text)]
    assert bare == []
