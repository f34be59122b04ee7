"""The process a page runs in.

Each page runs in a process of its own, forked from a warm server that has NumPy and matplotlib
imported already (see :mod:`reckon.run.preload`): a fresh namespace costs a fork, and nothing a page
does (monkey-patching, ``os.chdir``, a crash) can reach another page. The process reports each cell
as it starts and finishes, so the parent can time cells out and keep what finished before a crash.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import faulthandler
import hashlib
import os
import signal
import sys
import sysconfig
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, TextIO

from ..limits import CPU_LIMIT_S, MEMORY_LIMIT_MB
from ..wire import ABSENT, CellResult, PageProgram, listing_digest
from . import ENGINE_DIR
from .execute import NativeOutputReader, execute_program

__all__ = ["ProcessSettings", "dependencies", "run_page", "run_page_when_given", "working_directory"]

_NATIVE_PIECE = 1 << 20  # bytes of native output read at a time
_EXIT = os._exit  # the real one: a page's calls to os._exit are wrapped (see _report_exits)


@dataclass(frozen=True)
class ProcessSettings:
    """Where pages run and what they may use.

    Attributes:
        project_dir: The folder of ``mkdocs.yml``: on ``sys.path``; files below it that a page
            imports or opens are its dependencies.
        ignored_dirs: Folders whose files are never dependencies (the built site, the cache).
        memory_limit_mb: Address-space limit of a page process in MiB (0: none).
        cpu_limit_s: CPU-time limit of a page process in seconds (0: none).
        working_dir: ``"page"``: a page runs in its own file's folder, which comes first on
            ``sys.path`` (as a notebook does in Jupyter or Quarto); ``"project"``: in ``project_dir``.
    """

    project_dir: str
    ignored_dirs: tuple[str, ...] = ()
    memory_limit_mb: int = MEMORY_LIMIT_MB
    cpu_limit_s: int = CPU_LIMIT_S
    working_dir: str = "page"


def working_directory(program: PageProgram, settings: ProcessSettings) -> str:
    """The folder ``program`` runs in: relative paths in its code are read from there.

    A program whose page is not on disk (made up by a test) runs in the project's folder.
    """
    project = os.path.normpath(settings.project_dir)
    folder = os.path.normpath(os.path.join(project, os.path.dirname(program.path)))
    return folder if settings.working_dir == "page" and os.path.isdir(folder) else project


def run_page_when_given(orders: Any, connection: Any, settings: ProcessSettings, stack_path: str = "") -> None:
    """A page process started ahead of its page: wait for a program on ``orders``, then :func:`run_page` it.

    A page's start then costs a message, not a fork (the pool starts the next process while a page
    runs). Without a program (``orders`` closed: the pool stopped, or its process ended), it ends.
    """
    try:
        program = orders.recv()
    except (EOFError, OSError):
        _EXIT(0)
    orders.close()
    run_page(connection, program, settings, stack_path)


def run_page(connection: Any, program: PageProgram, settings: ProcessSettings, stack_path: str = "") -> None:
    """Run ``program`` and send ``("start", 0)``, ``("result", i, result)`` for each cell, then ``("finished", deps)``.

    A cell's result also says that the next cell starts: the parent times each cell from it.

    Args:
        connection: Where to send the messages.
        program: The page's code.
        settings: Where it runs and its limits.
        stack_path: A file to write the Python stack to if the process crashes, runs out of CPU
            time, or gets SIGUSR1 (the pool sends it before stopping a page that timed out).
    """
    try:
        if hasattr(os, "setpgid"):  # a group of its own, so that what the page starts ends with it
            os.setpgid(0, 0)
        if stack_path:
            _report_exits(_write_stack_on_fault(stack_path))
        _apply_limits(settings)
        _seed_random_state()
        folder = working_directory(program, settings)
        os.chdir(folder)
        project = os.path.normpath(settings.project_dir)
        search = [folder] if folder == project else [folder, project]
        sys.path[:0] = [entry for entry in search if entry not in sys.path]
        # A module beside the page would leave a __pycache__ folder in docs/, which MkDocs publishes.
        sys.dont_write_bytecode = True
        hint = _missing_file_hint(folder, settings)
        read_native_output = _capture_native_output()
        baseline = set(sys.modules)
        opened: set[str] = set()
        sys.addaudithook(lambda event, args: _record_open(event, args, opened))
        import_failed = [False]

        def send_result(index: int, result: CellResult) -> None:
            if result.error is not None:
                import_failed[0] |= result.error.message.startswith(("ModuleNotFoundError", "ImportError"))
                if result.error.message.startswith("FileNotFoundError"):
                    result = dataclasses.replace(result, error=dataclasses.replace(result.error, message=result.error.message + hint))
            connection.send(("result", index, result))

        execute_program(
            program,
            # Only the first start is sent: each result also marks the start of the next cell (half the messages).
            on_start=lambda index: connection.send(("start", index)) if index == 0 else None,
            on_result=send_result,
            read_native_output=read_native_output,
        )
        modules = [getattr(module, "__file__", None) for name, module in list(sys.modules.items()) if name not in baseline]
        # A failed import may be of a module not written yet (`import helpers` before helpers.py):
        # the folders it was looked for in are dependencies too, so that writing it runs the page
        # again rather than serving the cached failure. (A missing file opened is ABSENT.)
        listed = search if import_failed[0] else []
        connection.send(("finished", dependencies([*modules, *opened], settings, listed)))
    except BaseException:  # a fault of the engine itself: report it rather than die silently
        with contextlib.suppress(BaseException):
            connection.send(("fault", traceback.format_exc()))
    finally:
        try:
            connection.close()
        finally:
            _EXIT(0)  # skip interpreter teardown: the parent already has everything


# Python's own folders (the standard library, site-packages): never a page's dependencies. Found
# once, in the page server, rather than in every page (sysconfig expands them anew on each call).
_PYTHON_DIRS = sorted({os.path.realpath(folder) for folder in {sys.prefix, sys.base_prefix, *sysconfig.get_paths().values()}})


def dependencies(paths: Iterable[Any], settings: ProcessSettings, folders: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """``(path relative to the project, digest)`` of the project's own files among ``paths``.

    The digest is the file's sha256, or :data:`ABSENT` for a file the code tried to open and
    that did not exist. Each of ``folders`` (within the project) is recorded as its path with a
    trailing ``/`` and the digest of its listing (see :func:`listing_digest`).
    """
    project = os.path.realpath(settings.project_dir)
    # reckon's own files are in the key already (its version)
    ignored = [os.path.realpath(folder) for folder in (*settings.ignored_dirs, ENGINE_DIR)]
    ignored += _PYTHON_DIRS
    found: dict[str, str] = {}
    for path in paths:
        if not isinstance(path, str) or path.endswith(".pyc"):
            continue
        real = os.path.realpath(path)
        if not real.startswith(project + os.sep) or any(real == folder or real.startswith(folder + os.sep) for folder in ignored):
            continue
        relative = os.path.relpath(real, project)
        if relative.split(os.sep)[0] in {".git", "__pycache__"} or "__pycache__" in relative.split(os.sep):
            continue
        if os.path.isfile(real):
            with open(real, "rb") as handle:
                found[relative] = hashlib.sha256(handle.read()).hexdigest()
        elif not os.path.lexists(real):
            found[relative] = ABSENT
    for folder in folders:
        real = os.path.realpath(folder)
        if real == project or real.startswith(project + os.sep):
            relative = os.path.relpath(real, project)
            found[relative.replace(os.sep, "/") + "/"] = listing_digest(real)
    return tuple(sorted(found.items()))


def _missing_file_hint(folder: str, settings: ProcessSettings) -> str:
    """What a ``FileNotFoundError`` message gains: where relative paths are read from."""
    relative = os.path.relpath(folder, settings.project_dir).replace(os.sep, "/")
    if settings.working_dir == "project":
        return " (relative paths are read from the project's folder, that of mkdocs.yml: reckon's `working_dir: project`)"
    if relative == ".":
        return " (relative paths are read from the project's folder, that of mkdocs.yml)"
    return f" (relative paths are read from {relative}/, the page's own folder; with `working_dir: project`, from the project's)"


def _record_open(event: str, args: tuple[Any, ...], opened: set[str]) -> None:
    if event == "open" and args and isinstance(args[0], str):
        mode = args[1] if len(args) > 1 else "r"
        if mode is None or "r" in str(mode):
            opened.add(os.path.abspath(args[0]))


def _report_exits(stream: TextIO) -> None:
    """Have ``os._exit`` write where the page called it from to ``stream`` before the process ends.

    ``os._exit`` skips every handler, so without this the parent only learns that the process
    ended, and can name no line nearer than the start of the block that was running.
    """

    def exit_after_writing_the_stack(status: int) -> NoReturn:
        faulthandler.dump_traceback(stream, all_threads=False)
        stream.flush()
        _EXIT(status)

    os._exit = exit_after_writing_the_stack


def _write_stack_on_fault(path: str) -> TextIO:
    """Have faulthandler write where the code is to ``path`` on a crash, SIGXCPU or SIGUSR1."""
    stream = open(path, "w", encoding="utf-8")  # noqa: SIM115 (faulthandler keeps it open for the process's life)
    faulthandler.enable(stream, all_threads=False)
    for name in ("SIGUSR1", "SIGXCPU"):
        number = getattr(signal, name, None)
        if number is not None and hasattr(faulthandler, "register"):
            # SIGXCPU then does what it did (ends the process); SIGUSR1 only writes the stack.
            faulthandler.register(number, stream, all_threads=False, chain=name == "SIGXCPU")
    return stream


def _seed_random_state() -> None:
    """Start every page from one random state, so that code drawing without a seed builds the same bytes.

    Python's ``random`` is reseeded from the OS in every forked process, and NumPy's global state is
    whatever the fork server drew when it started; both would change from build to build.
    """
    import random

    random.seed(0)
    try:
        import numpy
    except ImportError:
        return
    numpy.random.seed(0)


def _apply_limits(settings: ProcessSettings) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: pages run without limits
        return
    # A page that crashes is reported; a core dump of it (as large as its memory) would land in the project.
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    if settings.memory_limit_mb > 0:
        limit = settings.memory_limit_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))
    if settings.cpu_limit_s > 0:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime)
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        limit = used + settings.cpu_limit_s
        resource.setrlimit(resource.RLIMIT_CPU, (limit if hard < 0 else min(limit, hard), hard))


def _capture_native_output() -> NativeOutputReader:
    """Send what native code writes to file descriptors 1 and 2 into a file, to show per block.

    The file is read in pieces (the block's output keeps only its first characters, so output
    larger than the page's memory limit costs no more than one piece) and emptied after each block.
    """
    sink = tempfile.TemporaryFile()  # noqa: SIM115 (descriptors 1 and 2 point at it for the process's life)
    for descriptor in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(sink.fileno(), descriptor)

    def read(write: Callable[[str], object]) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        sink.seek(0)
        while piece := sink.read(_NATIVE_PIECE):
            write(decoder.decode(piece))
        write(decoder.decode(b"", final=True))
        sink.seek(0)  # descriptors 1 and 2 share this offset: what comes next is written from the start
        sink.truncate()

    return read
