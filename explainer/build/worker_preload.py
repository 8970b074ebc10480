"""Imported by the batch pool's fork server before it forks any worker (its preload list
takes module names only): what every build worker would otherwise load for itself.

WeasyPrint, without its library look-ups (see weasyprint_import). Not lemminflect: builds
never inflect a suggestion (readability.formulas.PlainWordNote makes them only when asked). Fonts
are not loaded here: see batch.WORKER_PRELOAD.
"""

import gc
import os

from ..pdf.weasyprint_import import load_weasyprint
from . import batch

batch.exit_with_parent()  # the fork server ends with the build that started it
batch.FORK_SERVER = os.getpid()  # and each worker with it (batch._start_worker)
load_weasyprint()

# Freeze what is loaded now, before the fork server forks: workers inherit the frozen
# generation, so their garbage collector neither scans these objects nor writes to their
# pages (which would copy them); prepare_process then finds the freeze done.
gc.collect()
gc.freeze()
