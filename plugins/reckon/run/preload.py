"""Imported once by the server that page processes fork from, so that every page starts warm.

Importing NumPy and matplotlib and drawing one small figure (which loads the fonts) takes more than
half a second (the site benchmark's ``page_server_start_seconds``); done here, it is paid once per
``mkdocs build`` or ``mkdocs serve``, not once per page. The warm-up figure costs a cold build a
tenth of a second before its first page, and saves each page's first figure about a seventh of its
time: on two cores it pays for itself from about fifteen pages with figures (measured, December 2026).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import importlib.machinery
import json
import os
import sys
import tempfile
import types

from .pool import SERVER_SETTINGS

_settings = json.loads(os.environ.get(SERVER_SETTINGS, "{}"))
os.environ.setdefault("MPLBACKEND", "Agg")
# Before NumPy is imported, and only where the author has not chosen (see PagePool).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, str(_settings.get("blas_threads", 1)))
# multiprocessing re-creates the parent's main module in every child, for objects pickled from
# it; a page process receives none (its target and arguments are reckon's), so the server installs
# an empty stand-in with the main's identity, which children take for their main and keep. Running
# the real one would import MkDocs again per page, and fails outright for a script read from stdin.
_stand_in = types.ModuleType("__mp_main__")
_main = _settings.get("main", {})
if "init_main_from_path" in _main:
    _stand_in.__file__ = _main["init_main_from_path"]
if "init_main_from_name" in _main:
    _stand_in.__spec__ = importlib.machinery.ModuleSpec(_main["init_main_from_name"], None)
sys.modules["__main__"] = sys.modules["__mp_main__"] = _stand_in

try:
    import matplotlib
    import numpy
    import numpy.linalg
    import numpy.random

    matplotlib.use("Agg")
    from matplotlib import pyplot

    from . import figures

    pyplot.show = lambda *args, **kwargs: None  # a page's plt.show() has nothing to open
    figures.prepare()
    # One axes: a second one doubled the warm-up's ticks, which every cold build waits for before
    # its first page, and saved the pages nothing more (each draws its own ticks anyway).
    _figure, _axes = pyplot.subplots()
    _axes.plot([0, 1], [0, 1])
    _axes.set_title("warm-up")
    _axes.imshow(numpy.eye(3), extent=(0, 1, 0, 1))  # embeds a PNG in the SVG: loads PIL's image plugins here, once
    figures.draw_svg(_figure)
    pyplot.close("all")
except ImportError:  # pages that need them will say so in their own traceback
    pass

from . import execute, process  # noqa: E402,F401

# What every page process would otherwise load or work out again for itself, after its fork: the
# modules that unpickling a multiprocessing Process imports, the resource limits' module, and the
# temporary folder (tempfile finds it by creating a file there).
for _module in ("multiprocessing.popen_fork", "multiprocessing.popen_forkserver", "resource"):
    with contextlib.suppress(ImportError):  # not every platform has them all
        importlib.import_module(_module)
tempfile.gettempdir()

# Asked to stop (its listener closed), the server has nothing to flush or release: it ends at its
# first exit handler rather than tearing down NumPy and matplotlib, which the build waited a tenth
# of a second for. Only in the server itself (started with `-c`, given the settings), never in a
# process that merely imports this module.
if SERVER_SETTINGS in os.environ and sys.argv[:1] == ["-c"]:
    atexit.register(os._exit, 0)
