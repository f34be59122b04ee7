"""Imported once by the server that page processes fork from, so that every page starts warm.

Importing NumPy and matplotlib and drawing one small figure (which loads the fonts) takes about a
second; done here, it is paid once per ``mkdocs build`` or ``mkdocs serve``, not once per page.
"""

from __future__ import annotations

import json
import multiprocessing.spawn
import os

from .pool import SERVER_SETTINGS

_settings = json.loads(os.environ.get(SERVER_SETTINGS, "{}"))
os.environ.setdefault("MPLBACKEND", "Agg")
# Before NumPy is imported, and only where the author has not chosen (see PagePool).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, str(_settings.get("blas_threads", 1)))
# The parent's main module, imported here once: a child that finds it is its main already does not
# run it again (see PagePool). A main that cannot be imported (a script read from stdin) only costs
# that saving: children try again themselves, as multiprocessing always does.
try:
    multiprocessing.spawn.prepare(_settings.get("main", {}))
except Exception:
    pass

try:
    import numpy  # noqa: F401
    import numpy.linalg  # noqa: F401
    import numpy.random  # noqa: F401  (lazy in NumPy 2: every page that draws random numbers would import it)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    from . import figures

    pyplot.show = lambda *args, **kwargs: None  # a page's plt.show() has nothing to open
    figures.prepare()
    _figure, (_line, _image) = pyplot.subplots(1, 2)
    _line.plot([0, 1], [0, 1])
    _line.set_title("warm-up")
    _image.imshow(numpy.eye(3))  # embeds a PNG in the SVG: loads PIL's image plugins here, once
    figures.draw_svg(_figure)
    pyplot.close("all")
except ImportError:  # pages that need them will say so in their own traceback
    pass

from . import execution, page_process  # noqa: E402,F401
