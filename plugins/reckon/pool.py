"""Run pages in parallel page processes, time each cell out, and survive processes that die.

The pool keeps ``concurrency`` pages running at once. Processes are forked by multiprocessing's
fork server, which is started once (with :mod:`reckon.preload` imported) and stays warm across
``mkdocs serve`` rebuilds; where there is no fork server (Windows), pages are spawned instead.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .page_process import ProcessSettings, run_page
from .program import CellError, CellResult, PageProgram, ProgramResult

__all__ = ["PagePool"]

_STARTUP_ALLOWANCE = 60.0  # seconds a page process may take to start before its first cell


class PagePool:
    """A bounded set of page processes.

    Args:
        settings: Where pages run and their resource limits.
        concurrency: How many pages run at once.
    """

    def __init__(self, settings: ProcessSettings, concurrency: int) -> None:
        self.settings = settings
        self.concurrency = max(1, concurrency)
        # Page processes inherit this from the fork server (or get it when spawned): with a fixed
        # string hash, the order of a set of strings, and so what a page prints, is the same every build.
        os.environ.setdefault("PYTHONHASHSEED", "0")
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        if method == "forkserver":
            self._context.set_forkserver_preload(["reckon.preload"])
        self._executor = ThreadPoolExecutor(self.concurrency, thread_name_prefix="reckon-page")
        self._running: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False

    def warm(self) -> None:
        """Start the fork server in the background (it imports NumPy and matplotlib once)."""
        if self._context.get_start_method() != "forkserver":
            return
        os.environ.setdefault("MPLBACKEND", "Agg")
        threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True, name="reckon-warm").start()

    def submit(self, program: PageProgram, timeout: float) -> Future[ProgramResult]:
        """Run ``program`` in a page process; each cell may take at most ``timeout`` seconds."""
        return self._executor.submit(self.run, program, timeout)

    def run(self, program: PageProgram, timeout: float) -> ProgramResult:
        """Run ``program`` now, in this thread, and wait for it."""
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=run_page, args=(sender, program, self.settings), daemon=True)
        started = time.perf_counter()
        with self._lock:
            if self._closed:
                raise RuntimeError("the page pool is closed")
            process.start()
            self._running.add(process)
        sender.close()
        try:
            return self._collect(receiver, process, program, timeout, started)
        finally:
            receiver.close()
            _kill_group(process)  # subprocesses and servers the page started and left running
            with self._lock:
                self._running.discard(process)

    def close(self) -> None:
        """Stop every running page and refuse new ones."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            process.kill()
            _kill_group(process)
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _collect(self, receiver: Any, process: Any, program: PageProgram, timeout: float, started: float) -> ProgramResult:
        results: list[CellResult | None] = [None] * len(program.cells)
        current = 0
        deadline = time.monotonic() + timeout + _STARTUP_ALLOWANCE
        error: CellError | None = None
        dependencies: tuple[tuple[str, str], ...] = ()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                process.kill()
                _kill_group(process)
                process.join()
                line = program.cells[current].line if program.cells else 1
                error = CellError("timeout", line, None, f"the code ran longer than the {timeout:g} s timeout and was stopped")
                break
            try:
                message = receiver.recv()
            except Exception:  # EOF, or a message cut off by the process dying mid-send
                error = self._death(process, program, current)
                break
            if message[0] == "start":
                current = message[1]
                deadline = time.monotonic() + timeout
            elif message[0] == "result":
                results[message[1]] = message[2]
            elif message[0] == "finished":
                dependencies = message[1]
                break
            else:  # "fault": reckon itself failed in the page process
                line = program.cells[current].line if program.cells else 1
                error = CellError("crash", line, None, "reckon failed while running this page (a bug in reckon)", message[1])
                break
        process.join(timeout=10)
        outputs = [cell.output for cell in results if cell is not None and hasattr(cell, "output")]
        return ProgramResult(
            cells=tuple(results),
            dependencies=dependencies,
            seconds=time.perf_counter() - started,
            error=error,
            mentions_lines=any(program.path in output for output in outputs),
            lines=tuple(cell.line for cell in program.cells),
        )

    def _death(self, process: Any, program: PageProgram, current: int) -> CellError:
        process.join(timeout=10)
        code = process.exitcode
        line = program.cells[current].line if program.cells else 1
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else f"signal {-code}"
            if -code == getattr(signal, "SIGXCPU", None):
                reason = f"used more than its CPU-time limit of {self.settings.cpu_limit_s} s ({name})"
            elif -code == signal.SIGKILL:
                reason = "was killed (SIGKILL), perhaps for using too much memory"
            else:
                reason = f"crashed ({name})"
        else:
            reason = f"exited with status {code} before it finished (os._exit or a native crash)"
        return CellError("crash", line, None, f"the process running this page {reason} while running this code")


def _kill_group(process: Any) -> None:
    """Kill the process group a page process made for itself, with whatever the page left in it."""
    if hasattr(os, "killpg") and process.pid is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:  # the group is gone already, or the page never made one
            pass
