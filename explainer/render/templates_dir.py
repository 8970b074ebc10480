"""Where the built-in templates live, installed or in a checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def builtin_templates() -> Path:
    """The package templates folder (the wheel maps the repo templates/ to explainer.templates)."""
    try:
        path = Path(str(files("explainer.templates")))
        if (path / "base.html").is_file():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "templates"
