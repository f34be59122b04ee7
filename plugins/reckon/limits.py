"""How much of any one thing a page shows: every bound on what a block or inline value puts in a page.

One value must never make a page (or the cache, or the search index) megabytes large, whatever its
kind. Past these bounds reckon shows the beginning and says how much it left out.
"""

from __future__ import annotations

__all__ = [
    "ARRAY_EDGE_ITEMS",
    "ARRAY_SUMMARY_THRESHOLD",
    "CPU_LIMIT_S",
    "MATRIX_LIMIT",
    "MEMORY_LIMIT_MB",
    "MESSAGE_LIMIT",
    "SEQUENCE_LIMIT",
    "TABLE_COLUMNS",
    "TABLE_ROWS",
    "TEXT_LIMIT",
    "TIMEOUT_S",
    "WARNINGS_LIMIT",
]

#: Characters any one shown thing may have: a block's printed output, its value (a string, a
#: table, Markdown, a repr, a matrix), an inline value, an exception's message and traceback.
TEXT_LIMIT = 20_000
#: Characters of a failure's one-line message (its traceback is held to :data:`TEXT_LIMIT`).
MESSAGE_LIMIT = 1_000
#: Elements past which a NumPy array is summarised with ``...`` (NumPy's ``threshold`` print option;
#: a page that sets a larger one is held to this).
ARRAY_SUMMARY_THRESHOLD = 1_000
#: Items NumPy shows at each end of a summarised dimension.
ARRAY_EDGE_ITEMS = 3
#: Rows and columns up to which an array is a LaTeX matrix.
MATRIX_LIMIT = 16
#: Rows and columns up to which a 2-D array is a Markdown table (a larger one is NumPy's summary).
TABLE_ROWS = 200
TABLE_COLUMNS = 32
#: Items past which a sequence is not compared member by member in a claim (nor stored whole).
SEQUENCE_LIMIT = 10_000
#: Python warnings one block shows (the others are counted).
WARNINGS_LIMIT = 20

# What a page may take to run, by default (the plugin's `timeout`, `memory_limit` and `cpu_limit`;
# every settings type starts from these, so that a page runs alike however it is started).
#: Seconds a block or inline expression may run.
TIMEOUT_S = 30.0
#: MiB of address space a page process may use (0: none).
MEMORY_LIMIT_MB = 4096
#: CPU seconds a page process may use (0: none).
CPU_LIMIT_S = 600
