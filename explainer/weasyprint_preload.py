"""Importing this module imports WeasyPrint (see weasyprint_import): for the batch pool's
fork server, whose preload list takes module names only."""

from .weasyprint_import import load_weasyprint

load_weasyprint()
