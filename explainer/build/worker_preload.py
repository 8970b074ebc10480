"""Imported by the batch pool's fork server before it forks any worker (its preload list
takes module names only): what every build worker would otherwise load for itself.

WeasyPrint (without its library look-ups, see weasyprint_import) and lemminflect's lemma
and inflection tables (about 0.25 s of CPU to read; plain Python dicts, so a forked worker
shares them). Fonts are not loaded here: see batch.WORKER_PRELOAD.
"""

import gc

from ..pdf.weasyprint_import import load_weasyprint
from ..readability.inflection import tags_of

load_weasyprint()
tags_of("outcomes")  # reads lemminflect's lemma and inflection tables once, for all workers

# Freeze what is loaded now, before the fork server forks: workers inherit the frozen
# generation, so their garbage collector neither scans these objects nor writes to their
# pages (which would copy them); prepare_process then finds the freeze done.
gc.collect()
gc.freeze()
