"""Command-line interface: a thin layer over the library. Each command lives in its own module
and imports heavy libraries (WeasyPrint, textstat) only inside the command body."""

from __future__ import annotations

from . import build, check, draft, new, score, serve, sources, validate  # noqa: F401  (registers commands)
from .app import app


def main() -> None:
    import os

    # pydantic looks for plugins among every installed package's entry points when it
    # builds its first validator (7 ms of a cold build, and whatever a plugin then imports);
    # the CLI validates with no plugin. A value the user set wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="explainer")  # the same usage line for `python -m explainer`
