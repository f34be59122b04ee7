"""verify(plan, result): a page's claims decided in one place, without running anything."""

from __future__ import annotations

from reckon.page.plan import plan_page
from reckon.page.verify import verify
from reckon.wire import CellError, InlineResult, ProgramResult

PAGE = "It is `{python} a = 96,096`, `{python} b = 141.6`, `{python} c = six`, and `{python} d`.\n"


def test_every_claim_is_decided_from_the_results_alone() -> None:
    plan = plan_page(PAGE, path="docs/page.md", src_uri="page.md")
    result = ProgramResult(
        (
            InlineResult("96096", {"t": "int", "v": 96_096}),
            InlineResult("141.666", {"t": "fraction", "n": 425, "d": 3}),
            InlineResult("6", {"t": "int", "v": 6}),
            InlineResult("x", {"t": "str", "v": "x"}),
        )
    )
    checks = verify(plan, result)
    assert sorted(checks) == [0, 1, 2], "a plain inline value is no claim"
    assert checks[0].holds
    assert not checks[1].holds and checks[1].message.startswith("claim is false: the page says 141.6, but `b` is 141.7")
    assert not checks[2].holds and "six" in checks[2].message
    assert checks[1].col == PAGE.index("141.6") + 1


def test_a_claim_whose_expression_raised_or_never_ran_is_not_decided() -> None:
    plan = plan_page("`{python} a = 1` and `{python} b = 2`\n", path="docs/page.md", src_uri="page.md")
    raised = InlineResult(error=CellError("exception", 1, 11, "NameError: name 'a' is not defined"))
    assert verify(plan, ProgramResult((raised, None))) == {}
    assert verify(plan, None) == {}


def test_page_stats_add_up_field_by_field() -> None:
    from reckon.page.assemble import PageStats

    total = sum([PageStats(1, 2, 3, 4, 0), PageStats(10, 0, 5, 0, 2)], PageStats())
    assert total == PageStats(blocks=11, values=2, claims=8, checks=4, failures=2)
