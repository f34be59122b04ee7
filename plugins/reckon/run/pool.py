"""Run pages in parallel page processes, time each cell out, and survive processes that die.

A page process that crashes, exceeds its CPU time or is stopped for taking too long first writes
its Python stack (with :mod:`faulthandler`), so that the failure is reported at the page line the
code was on, not only at the block it was in.

The pool keeps ``concurrency`` pages running at once. Processes are forked by multiprocessing's
fork server, which is started once (with :mod:`reckon.run.preload` imported) and stays warm across
``mkdocs serve`` rebuilds; where there is no fork server (Windows), pages are spawned instead.
Each page gets a process started ahead of it (as many wait as pages can run at once, each started
while the pages before it run): a page's start costs a message instead of a fork, which in a build
delayed each page by about an eighth of its time, the MkDocs process being busy meanwhile.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import linecache
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import multiprocessing.spawn
import os
import re
import signal
import tempfile
import threading
import time
import traceback
import weakref
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..wire import BlockResult, CellError, CellResult, PageProgram, ProgramResult
from . import ENGINE_DIR
from .process import ProcessSettings, run_page_when_given

__all__ = ["PageCancelled", "PagePool"]

SERVER_SETTINGS = "RECKON_PAGE_SERVER"  # environment variable: what reckon.run.preload sets up in the server
_STARTUP_ALLOWANCE = 60.0  # seconds a page process may take to start before its first cell
_FAULT_FRAME = re.compile(r'^  File "(?P<file>.*)", line (?P<line>\d+) in (?P<name>.*)$', re.MULTILINE)


def _main_module_entry() -> dict[str, str]:
    """How multiprocessing would re-create this process's main module in a child."""
    data = multiprocessing.spawn.get_preparation_data("reckon")
    return {key: value for key, value in data.items() if key in ("init_main_from_path", "init_main_from_name")}


# The fork server is one per process, shared by every pool. Stopping it waits for every process it
# forked (each holds the descriptor the server watches), so a pool that stops it first ends every
# pool's processes waiting for a page; no process starts meanwhile, and none started ahead is
# between its start and its pool's list of waiting processes (which the stop would miss).
_SERVER_LOCK = threading.RLock()
_POOLS: weakref.WeakSet[PagePool] = weakref.WeakSet()


class PageCancelled(Exception):
    """The page was stopped before it finished because its result is no longer wanted."""


class _Run:
    """A submitted page: its process once started, and whether it was cancelled."""

    def __init__(self) -> None:
        self.process: Any = None
        self.cancelled = threading.Event()


class _Ready:
    """A page process started ahead of its page, waiting for the program on ``orders``."""

    def __init__(self, process: Any, orders: Any, receiver: Any, stack_path: str) -> None:
        self.process = process
        self.orders = orders  # the program goes here
        self.receiver = receiver  # what the page reports comes from here
        self.stack_path = stack_path

    def close(self) -> None:
        self.orders.close()
        self.receiver.close()


class PagePool:
    """A bounded set of page processes.

    Args:
        settings: Where pages run and their resource limits.
        concurrency: How many pages run at once.
    """

    def __init__(self, settings: ProcessSettings, concurrency: int) -> None:
        self.settings = settings
        self.concurrency = max(1, concurrency)
        forkserver = "forkserver" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver") if forkserver else multiprocessing.get_context("spawn")
        # What the server (or a spawned page process) starts with; given to it alone, never left in
        # the MkDocs process's environment, where every subprocess of the build would inherit it.
        # A fixed string hash: the order of a set of strings, and so what a page prints, is the same every build.
        self._environment = {"PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0")}
        if forkserver:
            self._context.set_forkserver_preload(["reckon.run.preload"])
            self._environment[SERVER_SETTINGS] = json.dumps(
                {
                    # multiprocessing runs the parent's main module again in every child unless the
                    # child finds it is its main already (under the `mkdocs` command: MkDocs and
                    # click imported again for every page, a third of a second each); the server
                    # installs a stand-in that children take for it (see reckon.run.preload).
                    "main": _main_module_entry(),
                    # Pages run side by side: BLAS thread pools sized for the whole machine in
                    # each of them would spin against each other (a cold build took half as long
                    # again as with one thread per page on two cores).
                    "blas_threads": max(1, (os.cpu_count() or 1) // self.concurrency),
                }
            )
        self._executor = ThreadPoolExecutor(self.concurrency, thread_name_prefix="reckon-page")
        self._running: set[Any] = set()
        self._runs: dict[Future[ProgramResult], _Run] = {}
        self._runs_lock = threading.Lock()  # not _lock: that one is held while the fork server starts
        self._lock = threading.Lock()
        self._closed = False
        self._ready: list[_Ready] = []  # processes started ahead of their pages (at most `concurrency`)
        self._readying = 0  # being started
        self._ready_lock = threading.Lock()
        _POOLS.add(self)

    def warm(self, *, ahead: bool = True) -> None:
        """Start the fork server in the background (it imports NumPy and matplotlib once), and with
        ``ahead`` the processes the first pages will run in."""
        if self._context.get_start_method() != "forkserver":
            return

        def start_server() -> None:
            with _environment(self._environment):
                multiprocessing.forkserver.ensure_running()
            if ahead:
                while self._start_ahead():
                    pass

        threading.Thread(target=start_server, daemon=True, name="reckon-warm").start()

    def submit(self, program: PageProgram, timeout: float) -> Future[ProgramResult]:
        """Run ``program`` in a page process; each cell may take at most ``timeout`` seconds.

        The future fails with :class:`PageCancelled` if :meth:`cancel` stops the page first.
        """
        run = _Run()
        future = self._executor.submit(self.run, program, timeout, run)
        with self._runs_lock:
            if not future.done():
                self._runs[future] = run
        future.add_done_callback(self._forget)
        return future

    def cancel(self, future: Future[ProgramResult]) -> None:
        """Stop the page that ``future`` stands for now, whether it is waiting or running."""
        if future.cancel():
            return
        with self._runs_lock:
            run = self._runs.get(future)
            if run is None:
                return
            run.cancelled.set()
            process = run.process
        if process is not None:
            process.kill()
            _kill_group(process)

    def _forget(self, future: Future[ProgramResult]) -> None:
        with self._runs_lock:
            self._runs.pop(future, None)

    def run(self, program: PageProgram, timeout: float, run: _Run | None = None) -> ProgramResult:
        """Run ``program`` now, in this thread, and wait for it.

        Raises:
            PageCancelled: :meth:`cancel` stopped it.
        """
        run = run or _Run()
        if run.cancelled.is_set():
            raise PageCancelled(program.path)
        ready = self._ready_with(program)
        process = ready.process
        started = time.perf_counter()
        try:
            with self._runs_lock:
                run.process = process  # from here on, cancel() kills it
                cancelled = run.cancelled.is_set()
            if cancelled:  # cancelled while starting, before cancel() could see the process
                process.kill()
            self._start_ahead()  # the next page's process, while this one runs
            result = self._collect(ready.receiver, process, program, timeout, started, ready.stack_path)
            if run.cancelled.is_set():
                raise PageCancelled(program.path)
            return result
        finally:
            self._finish(ready)

    def _ready_with(self, program: PageProgram) -> _Ready:
        """A page process given ``program``: one started ahead if one still waits, else one started now."""
        while True:
            with self._ready_lock:
                ready = self._ready.pop(0) if self._ready else None
            if ready is None:
                ready = self._start_process()
                with contextlib.suppress(OSError):  # it died at once: _collect reports how
                    ready.orders.send(program)
                return ready
            try:
                ready.orders.send(program)
            except OSError:  # it died waiting (killed, or out of memory): the next one
                self._finish(ready)
            else:
                return ready

    def _start_ahead(self) -> bool:
        """Start a process for a page to come, unless ``concurrency`` wait already or the pool is
        closed; whether one was started. A process that cannot start is left to the page to start."""
        with self._ready_lock:
            if self._closed or len(self._ready) + self._readying >= self.concurrency:
                return False
            self._readying += 1
        try:
            with _SERVER_LOCK:
                ready = self._start_process()
                kept = self._keep(ready)
        except Exception:  # closed meanwhile, or a process cannot start: the page starts its own, and says why
            return False
        finally:
            with self._ready_lock:
                self._readying -= 1
        if not kept:
            self._finish(ready)
        return True

    def _keep(self, ready: _Ready) -> bool:
        """Keep ``ready`` for a page to come, unless the pool closed while it started."""
        with self._ready_lock:
            if self._closed:
                return False
            self._ready.append(ready)
            return True

    def _start_process(self) -> _Ready:
        """A page process, waiting for its program."""
        receiver, sender = self._context.Pipe(duplex=False)
        orders_receiver, orders = self._context.Pipe(duplex=False)
        handle, stack_path = tempfile.mkstemp(prefix="reckon-stack-", suffix=".txt")
        os.close(handle)
        ready = _Ready(None, orders, receiver, stack_path)
        process = self._context.Process(target=run_page_when_given, args=(orders_receiver, sender, self.settings, stack_path), daemon=True)
        try:
            with _SERVER_LOCK, self._lock:
                if self._closed:
                    raise RuntimeError("the page pool is closed")
                with _environment(self._environment):  # a fork server that is not running yet starts with it
                    process.start()
                ready.process = process
                self._running.add(process)
        except BaseException:
            self._finish(ready)
            raise
        finally:
            sender.close()
            orders_receiver.close()
        return ready

    def _finish(self, ready: _Ready) -> None:
        """End a page process (with whatever it left running) and forget it."""
        ready.close()
        process = ready.process
        if process is not None and process.pid is not None:
            process.kill()
            _kill_group(process)  # subprocesses and servers the page started and left running
        with self._lock:
            self._running.discard(process)
        with contextlib.suppress(OSError):
            os.unlink(ready.stack_path)

    def close(self) -> None:
        """Stop every running page and refuse new ones.

        A page stopped here fails with :class:`PageCancelled`, as if :meth:`cancel` had stopped
        it: its end says nothing about its code, and must not be kept as its result.
        """
        with self._runs_lock:
            for run in self._runs.values():
                run.cancelled.set()
        with self._lock:
            self._closed = True
            running = list(self._running)
        self._end_ready()
        for process in running:
            process.kill()
            _kill_group(process)
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._context.get_start_method() == "forkserver":
            # The next pool starts a server of its own, with its own settings.
            stop = getattr(multiprocessing.forkserver._forkserver, "_stop", None)  # CPython's own, private
            if stop is not None:
                with _SERVER_LOCK:
                    for pool in list(_POOLS):
                        pool._end_ready()
                    stop()

    def _end_ready(self) -> None:
        """End the processes waiting for a page (a page to come starts one of its own)."""
        with self._ready_lock:
            ready, self._ready = self._ready, []
        for waiting in ready:
            self._finish(waiting)

    def _collect(self, receiver: Any, process: Any, program: PageProgram, timeout: float, started: float, stack_path: str) -> ProgramResult:
        results: list[CellResult | None] = [None] * len(program.cells)
        current = 0
        deadline = time.monotonic() + timeout + _STARTUP_ALLOWANCE
        error: CellError | None = None
        dependencies: tuple[tuple[str, str], ...] = ()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                stack = _ask_for_stack(process, stack_path)
                process.kill()
                _kill_group(process)
                process.join()
                error = CellError(
                    "timeout", _line_of(program, current), None, f"the code ran longer than the {timeout:g} s timeout and was stopped"
                )
                error = _where_it_stopped(error, program, stack)
                break
            try:
                message = receiver.recv()
            except Exception:  # EOF, or a message cut off by the process dying mid-send
                error = _where_it_stopped(self._death(process, program, current), program, _read(stack_path))
                break
            if message[0] == "start":
                current = message[1]
                deadline = time.monotonic() + timeout
            elif message[0] == "result":  # and the next cell starts
                results[message[1]] = message[2]
                current = min(message[1] + 1, len(program.cells) - 1)
                deadline = time.monotonic() + timeout
            elif message[0] == "finished":
                dependencies = message[1]
                break
            else:  # "fault": reckon itself failed in the page process
                error = CellError(
                    "crash", _line_of(program, current), None, "reckon failed while running this page (a bug in reckon)", message[1]
                )
                break
        process.join(timeout=10)
        outputs = [cell.quoted_text() for cell in results if isinstance(cell, BlockResult)]
        return ProgramResult(
            cells=tuple(results),
            dependencies=dependencies,
            seconds=time.perf_counter() - started,
            error=error,
            mentions_lines=any(program.path in output for output in outputs),
            lines=tuple(cell.line for cell in program.cells),
        )

    def _death(self, process: Any, program: PageProgram, current: int) -> CellError:
        # A forked child's exit status is read from a pipe, and process.start() in another thread
        # reads it too (to forget finished children): read at once, two threads leave one with a
        # made-up 255. Starts hold the lock, so the status is read under it, after the wait.
        multiprocessing.connection.wait([process.sentinel], timeout=10)
        with self._lock:
            process.join(timeout=0)
        code = process.exitcode
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
        return CellError("crash", _line_of(program, current), None, f"the process running this page {reason} while running this code")


def _line_of(program: PageProgram, cell: int) -> int:
    """The line a failure of the page while running ``cell`` is first reported at."""
    return program.cells[cell].line if program.cells else 1


_ENVIRONMENT_LOCK = threading.Lock()


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """``variables`` in this process's environment while a child starts, and as they were after."""
    with _ENVIRONMENT_LOCK:
        before = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        try:
            yield
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _kill_group(process: Any) -> None:
    """Kill the process group a page process made for itself, with whatever the page left in it."""
    if hasattr(os, "killpg") and process.pid is not None:
        with contextlib.suppress(OSError):  # the group is gone already, or the page never made one
            os.killpg(process.pid, signal.SIGKILL)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read()
    except OSError:
        return ""


def _ask_for_stack(process: Any, stack_path: str) -> str:
    """Ask a page process about to be stopped where its code is (it writes its stack on SIGUSR1)."""
    if not hasattr(signal, "SIGUSR1") or process.pid is None:
        return ""
    try:
        os.kill(process.pid, signal.SIGUSR1)
    except OSError:
        return ""
    deadline = time.monotonic() + 1.0
    written = ""
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = _read(stack_path)
        if now and now == written:  # written, and no longer growing
            break
        written = now
    return written


def _where_it_stopped(error: CellError, program: PageProgram, stack: str) -> CellError:
    """``error`` at the page line the code was on when it stopped, with the stack up to there.

    ``stack`` is what faulthandler wrote (most recent call first); without a frame of the page in
    it (the process was killed, or ended itself), the error stays at the line its cell starts on.
    """
    first = _FAULT_FRAME.search(stack)
    if first is None:
        return error
    dump = stack[first.start() :].split("\n\n", 1)[0]  # the first stack written, if there are several
    frames = [(match["file"], int(match["line"]), match["name"]) for match in _FAULT_FRAME.finditer(dump)]
    page_lines = [line for file, line, _name in frames if file == program.path]
    if not page_lines:
        return error
    outermost = max(index for index, (file, _line, _name) in enumerate(frames) if file == program.path)
    source = program.source.split("\n")
    shown = [  # from the page's outermost frame in: the page's code and what it called
        (
            file,
            line,
            name,
            source[line - 1].strip() if file == program.path and line <= len(source) else linecache.getline(file, line).strip(),
        )
        for file, line, name in reversed(frames[: outermost + 1])
        if not file.startswith(ENGINE_DIR)
    ]
    detail = "Where the code was when it stopped (most recent call last):\n" + "".join(traceback.StackSummary.from_list(shown).format())
    return dataclasses.replace(error, line=page_lines[0], traceback=detail.rstrip())
