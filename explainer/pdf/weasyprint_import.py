"""Import WeasyPrint without the library look-ups that cannot succeed.

WeasyPrint loads Pango, HarfBuzz and friends through cffi, trying several names per library
(Linux, macOS and Windows spellings). cffi hands every name it cannot open directly to
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p``, then ``gcc`` and ``ld``
for each one: 22 calls on a Linux import, about 0.2 s of CPU per importing process (every
build worker, every ``explainer build``), and all but 4 find nothing.

On Linux each library's plain soname (``libpango-1.0.so.0``) is among the names tried and
is opened by the dynamic loader directly, so the look-ups add nothing there: while
WeasyPrint is being imported, ``find_library`` answers "not found" at once. If a system
needed the look-ups after all (the import fails), WeasyPrint is imported again the usual
way. WeasyPrint itself is not changed. Elsewhere (macOS, Windows) the import is as usual.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _not_looked_up(name: str) -> None:
    return None


def load_weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported now if it was not yet."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    if not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = _not_looked_up
    try:
        import weasyprint
    except OSError:  # a library only find_library locates here: drop the half import, retry
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = original
        import weasyprint
    finally:
        ctypes.util.find_library = original
    return weasyprint
