"""Hostile and unusual pages, built with the real `mkdocs build`.

The pages live in ``pages/failing`` (one build, which must fail) and ``pages/passing`` (one build,
which must pass). Each failing page states below where its failures are: a needle, the text on the
line the failure must be reported at, and what the message must say. Columns count the characters
(code points) of the file's line, from 1; a needle's column is where ``at`` starts within it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import reckon
from fixture_sites import BuildOutcome, FixtureSite

PAGES = Path(__file__).parent / "pages"
ENGINE_DIR = str(Path(reckon.__file__).resolve().parent)
CRLF_PAGES = {"crlf.md"}  # written with Windows line ends
TIMEOUT_S = 6
CPU_LIMIT_S = 3
BUILD_BOUND_S = 180  # a build that takes longer has hung

CONFIG = """\
site_name: corpus
theme: {name: material, font: false}
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
plugins:
  - reckon:
      timeout: %(timeout)s
      cpu_limit: %(cpu_limit)s
      concurrency: %(concurrency)s
      cache: false
"""

RAISES_AT_IMPORT = 'raise RuntimeError("broken on purpose")\n'


@dataclass(frozen=True)
class Expect:
    """A failure the build must report.

    Attributes:
        needle: Text on the line it is reported at (its first occurrence in the page).
        message: What the message must start with.
        at: Where the column points, within the needle ("": its start; None: no column).
    """

    needle: str
    message: str
    at: str | None = ""

    def location(self, text: str) -> tuple[int, int | None]:
        index = text.index(self.needle)
        line = text.count("\n", 0, index) + 1
        if self.at is None:
            return line, None
        line_start = text.rfind("\n", 0, index) + 1
        return line, index - line_start + self.needle.index(self.at) + 1


CRASH = "the process running this page"
FAILING: dict[str, list[Expect]] = {
    "options.md": [
        Expect("#| ech: false", "unknown option `ech` (did you mean `echo`?)", at="ech"),
        Expect("#| output: banana", "`output: banana` is not valid; use one of `true`, `false`, `asis`", at=None),
        Expect("#| echo: fold", "the option `echo` is given twice", at=None),
        Expect("#|nonsense", "cannot read the option line `#|nonsense`: write `#| key: value`", at=None),
        Expect("#| label: figure one", "the label `figure one` is not valid", at=None),
        Expect("#| fig-width: wide", "`fig-width: wide` is not valid; use a number of inches", at=None),
    ],
    "syntax.md": [
        Expect("{python} 1 +`", "cannot read `1 +`: SyntaxError: invalid syntax", at="1 +"),
        Expect("`{python}`.", "the inline code has no expression after {python}", at="`."),  # where it belongs
        Expect("def broken(:", "SyntaxError: invalid syntax", at=":"),
        Expect("```{python}\nthis block is never closed", "this ```{python} block is never closed", at=None),
    ],
    "exit.md": [Expect("sys.exit(3)", "SystemExit: the code called sys.exit(3)")],
    "interrupt.md": [Expect("raise KeyboardInterrupt", "KeyboardInterrupt: the code raised KeyboardInterrupt")],
    "generator-exit.md": [Expect("raise GeneratorExit", "GeneratorExit")],
    "unprintable.md": [Expect("raise Unprintable()", "Unprintable: <exception str() failed>")],
    "chain.md": [Expect('raise ValueError(f"no entry', "ValueError: no entry 'kernel'")],
    "inline.md": [
        Expect("1 / 0`", "`1 / 0` raised ZeroDivisionError: division by zero"),
        Expect("undefined_name`", "`undefined_name` raised NameError: name 'undefined_name' is not defined"),
        Expect('__import__("sys").exit(4)', '`__import__("sys").exit(4)` raised SystemExit: the code called sys.exit(4)'),
        Expect("[1, 2, 3][10]", "`[1, 2, 3][10]` raised IndexError: list index out of range"),
    ],
    # os._exit and SIGKILL leave no trace of where the code was: reported at the block's first line.
    "os-exit.md": [Expect("os._exit(3)", f"{CRASH} exited with status 3 before it finished", at=None)],
    "sigkill.md": [Expect("import os", f"{CRASH} was killed (SIGKILL)", at=None)],
    "segfault.md": [Expect("os.kill(os.getpid(), signal.SIGSEGV)", f"{CRASH} crashed (SIGSEGV)", at=None)],
    "abort.md": [Expect("os.abort()", f"{CRASH} crashed (SIGABRT)", at=None)],
    "recursion.md": [Expect("countdown(n + 1)", "RecursionError: maximum recursion depth exceeded")],
    "c-stack.md": [Expect("same = nested == other", f"{CRASH} crashed (SIGSEGV)", at=None)],
    # A crash, the CPU-time limit and a timeout stop the process: reported at the line it was on.
    "runaway-busy.md": [Expect("while True: count += 1", f"{CRASH} used more than its CPU-time limit of {CPU_LIMIT_S} s", at=None)],
    "runaway-waiting.md": [
        Expect("while True: time.sleep(0.05)", f"the code ran longer than the {TIMEOUT_S} s timeout and was stopped", at=None)
    ],
    "memory.md": [
        Expect("bytearray(10 * 2**30)", "MemoryError (the code ran out of memory: a page may use 4,096 MiB, reckon's `memory_limit`)")
    ],
    "stdin.md": [Expect('input("What is', "EOFError: EOF when reading a line")],
    "import-error.md": [Expect("import raises_at_import", "RuntimeError: broken on purpose")],
    "literals.md": [
        Expect("3 = three", "`three` is not a literal reckon can read", at="three"),
        Expect("3 = 1.2.3", "`1.2.3` is not a literal reckon can read", at="1.2.3"),
        Expect("3 = 1/0", "`1/0` divides by zero", at="1/0"),
        Expect("{1, two}`", "in `{1, two}`: `two` is not a literal reckon can read", at="{1, two}"),
        Expect("3 = `", "the claim has nothing after `=`", at=" `"),
        Expect("6×6×`", "`6×6×` is not a literal reckon can read", at="6×6×"),
    ],
    "nan.md": [
        Expect("nan = 1.5", "claim is false: the page says 1.5, but `nan` is nan", at="1.5"),
        Expect("inf = 1e308", "claim is false: the page says 1e308, but `inf` is inf", at="1e308"),
        Expect("-inf = inf`", "claim is false: the page says inf, but `-inf` is -inf", at="inf`"),
        Expect("1.5 = nan", "claim is false: the page says nan, but `1.5` is 1.5", at="nan"),
        Expect("nan = inf", "claim is false: the page says inf, but `nan` is nan", at="inf"),
    ],
    "unicode.md": [
        Expect("n = 96,000", "claim is false: the page says 96,000, but `n` is 96,096", at="96,000"),
        Expect("n = 96,001", "claim is false: the page says 96,001", at="96,001"),
        Expect("n = 96,002", "claim is false: the page says 96,002", at="96,002"),
        Expect("n = 96,003", "claim is false: the page says 96,003", at="96,003"),
        Expect("n / 0", "`n / 0` raised ZeroDivisionError: division by zero"),
        Expect("s + n", 'TypeError: can only concatenate str (not "int") to str'),
    ],
    "nested.md": [
        Expect("value = 43", "claim is false: the page says 43, but `value` is 42", at="43"),
        Expect('{"a": 1}["b"]', "KeyError: 'b'"),
    ],
    "crlf.md": [
        Expect("x = 11", "claim is false: the page says 11, but `x` is 10", at="11"),
        Expect("x / (x - 10)", "ZeroDivisionError: division by zero"),
    ],
}

_DIAGNOSTIC = re.compile(r"^ERROR\s+-\s+docs/(?P<page>[^:\s]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.*)$", re.MULTILINE)


def make_site(root: Path, folder: str, **options: object) -> FixtureSite:
    fixture = FixtureSite(root)
    settings = {"timeout": 20, "cpu_limit": 600, "concurrency": 2, **options}
    fixture.write("mkdocs.yml", CONFIG % settings, dedent=False)
    fixture.write("raises_at_import.py", RAISES_AT_IMPORT, dedent=False)
    for page in sorted((PAGES / folder).glob("*.md")):
        text = page.read_text(encoding="utf-8")
        fixture.write(f"docs/{page.name}", text.replace("\n", "\r\n") if page.name in CRLF_PAGES else text, dedent=False)
    return fixture


def page_html(outcome: BuildOutcome, name: str) -> str:
    return outcome.page(name.removesuffix(".md"))


# -- the failing build ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> BuildOutcome:
    fixture = make_site(tmp_path_factory.mktemp("failing") / "project", "failing", timeout=TIMEOUT_S, cpu_limit=CPU_LIMIT_S)
    return fixture.build(timeout=BUILD_BOUND_S)


def test_every_failing_page_has_its_expectations_and_every_expectation_its_page() -> None:
    names = {page.name for page in (PAGES / "failing").glob("*.md")}
    assert names - {"index.md"} == set(FAILING)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_each_failure_is_reported_at_its_line_and_column_in_words_an_author_understands(failing: BuildOutcome, name: str) -> None:
    text = (PAGES / "failing" / name).read_text(encoding="utf-8")
    reported = [
        (int(match["line"]), int(match["col"]) if match["col"] else None, match["message"])
        for match in _DIAGNOSTIC.finditer(failing.log)
        if match["page"] == name
    ]
    expected = [(*expect.location(text), expect.message) for expect in FAILING[name]]
    unmatched = list(reported)
    for line, col, message in expected:
        found = next((item for item in unmatched if item[:2] == (line, col) and item[2].startswith(message)), None)
        assert found is not None, f"{name}:{line}:{col}: {message!r} not in {reported}"
        unmatched.remove(found)
    assert unmatched == [], f"unexpected failures on {name}"


def test_the_build_fails_after_reporting_every_failure_and_builds_every_page(failing: BuildOutcome) -> None:
    assert failing.code == 1
    total = sum(len(expectations) for expectations in FAILING.values())
    assert f"reckon: {total} failures (listed above); the build fails" in failing.log
    for page in (PAGES / "failing").glob("*.md"):
        assert (failing.site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")).is_file(), page.name
    good = page_html(failing, "index.md")
    assert "the good page ran" in good and "The answer is 42" in good and "reckon found" not in good


def test_no_engine_frame_and_no_engine_fault_reaches_the_log_or_the_pages(failing: BuildOutcome) -> None:
    assert ENGINE_DIR not in failing.log and "plugins/reckon" not in failing.log
    assert "a bug in reckon" not in failing.log and "<string>" not in failing.log
    for html in failing.site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert ENGINE_DIR not in text and "a bug in reckon" not in text, html


def test_a_failing_page_shows_its_failures_and_what_still_ran(failing: BuildOutcome) -> None:
    options = page_html(failing, "options.md")
    assert "This block did not run: its options are wrong" in options
    assert "the block ran anyway</code>" not in options  # its source shows, never its output
    assert "still running after the inline failures" in page_html(failing, "inline.md")
    chain = page_html(failing, "chain.md")
    assert "KeyError" in chain and "The above exception was the direct cause of the following exception" in chain
    syntax = page_html(failing, "syntax.md")
    assert "reckon found 4 problems on this page" in syntax
    assert "This block did not run: an earlier block on this page failed." in syntax
    assert "broken on purpose" in page_html(failing, "import-error.md")
    stack = "Where the code was when it stopped (most recent call last):\n"
    assert stack + '  File "docs/c-stack.md", line 12, in &lt;module&gt;\n    same = nested == other' in page_html(failing, "c-stack.md")


# -- the passing build ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> BuildOutcome:
    # One page at a time, in name order, so that leak-b.md runs after leak-a.md.
    fixture = make_site(tmp_path_factory.mktemp("passing") / "project", "passing", concurrency=1)
    return fixture.build(timeout=BUILD_BOUND_S)


def test_unusual_pages_build_and_pass(passing: BuildOutcome) -> None:
    assert passing.code == 0, passing.log
    assert "ERROR" not in passing.log and "WARNING" not in passing.log, passing.log
    pages = len(list((PAGES / "passing").glob("*.md")))
    assert re.search(rf"reckon: {pages} pages with code \({pages} run, 0 from cache\), .* 0 failures", passing.log)


def test_code_shown_in_other_fences_spans_and_comments_is_text_and_never_runs(passing: BuildOutcome) -> None:
    html = page_html(passing, "fences.md")
    for text in (
        "a four-backtick fence shows this; it must not run",
        "nested in a five-backtick fence",
        "in a tilde fence",
        "in an indented code block",
        "a plain python fence is shown, not run",
    ):
        assert text in html
    assert "{python} 1 = 3" in html and "And one block that does run: 4." in html


def test_code_its_author_asked_not_to_run_never_runs(passing: BuildOutcome) -> None:
    html = page_html(passing, "must-not-run.md")
    assert "After the blocks that must not run: 2." in html
    assert "SystemExit: an exit the page expects, shown and not a failure" in re.sub(r"<[^>]+>", "", html)  # highlighted


def test_empty_blocks_run_and_the_page_goes_on(passing: BuildOutcome) -> None:
    assert "After the empty blocks: 2." in page_html(passing, "empty.md")


def test_blocks_nested_in_containers_put_their_output_inside_them(passing: BuildOutcome) -> None:
    html = page_html(passing, "nested.md")
    assert re.search(r'<div class="admonition note">.*?side is 6.*?Inside the admonition: 36\.', html, re.DOTALL)
    assert re.search(r'<div class="tabbed-block">.*?<li>.*?area is 36', html, re.DOTALL)
    assert re.search(r'<details class="tip">.*?deep inside', html, re.DOTALL)
    assert "Back at the list: 36." in html


def test_front_matter_windows_line_ends_and_non_ascii_text_change_nothing(passing: BuildOutcome) -> None:
    assert "The answer is 42." in page_html(passing, "front-matter.md")
    crlf = page_html(passing, "crlf.md")
    assert "total 45" in crlf and "A claim: 45." in crlf and "inside a note" in crlf
    assert "Größe — 96,096; 日本語 ä; 🎉 48,048." in page_html(passing, "unicode.md")


def test_nan_and_infinity_claims_render_as_written(passing: BuildOutcome) -> None:
    html = page_html(passing, "nan.md")
    assert "nan, NaN, inf,\n∞, −inf, Infinity." in html


def test_what_native_code_and_child_processes_print_is_shown(passing: BuildOutcome) -> None:
    html = page_html(passing, "native-output.md")
    for text in ("printed by Python", "written to fd 1", "written to fd 2", "echoed by a child process"):
        assert text in html


def test_enormous_printed_output_is_bounded_with_a_notice(passing: BuildOutcome) -> None:
    html = page_html(passing, "enormous-output.md")
    assert re.search(r"… [\d,]+ more characters of output not shown", html)
    assert len(html) < 100_000


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="reads process states from /proc")
def test_threads_and_processes_a_page_leaves_running_neither_hang_the_build_nor_outlive_it(passing: BuildOutcome) -> None:
    html = page_html(passing, "left-running.md")
    assert "The page finished: 2." in html
    pid = int(re.search(r"child (\d+)", html)[1])  # type: ignore[index]
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in {"gone", "Z", "X"}


def test_reading_standard_input_finds_it_empty_instead_of_waiting(passing: BuildOutcome) -> None:
    assert "Standard input is empty: 0 and 0." in page_html(passing, "stdin.md")


def test_what_one_page_changes_in_its_process_does_not_reach_the_next(passing: BuildOutcome) -> None:
    # leak-a.md changed its working folder, sys.path, the environment, NumPy and matplotlib ...
    assert "changed: / /leaked-path leaked leaked 99" in page_html(passing, "leak-a.md")
    # ... and leak-b.md, run after it, asserted that none of it reached it (a failed assertion fails the build).
    html = page_html(passing, "leak-b.md")
    assert "reckon found" not in html and "6 checks in its code passed" in html
