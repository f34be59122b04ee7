"""The page process's side: run a page's code in a process of its own and report what it gave.

Nothing here imports :mod:`reckon.page`: a program arrives, and results leave, as the plain data of
:mod:`reckon.wire`.
"""

from __future__ import annotations

import os

#: reckon's own folder: its frames are left out of a page's tracebacks, its files are no page's dependencies.
ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
