"""Command-line interface: a thin layer over the library. Each command lives in its own module
and imports heavy libraries (WeasyPrint, textstat) only inside the command body."""

from __future__ import annotations

from . import build, check, draft, new, score, serve, sources, validate  # noqa: F401  (registers commands)
from .app import app


def main() -> None:
    app(prog_name="explainer")  # the same usage line for `python -m explainer`
