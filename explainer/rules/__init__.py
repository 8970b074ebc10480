"""Rules that are data: YAML files shipped inside the package, each rule citing its source."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@cache
def load_rules(name: str) -> Any:
    """Parse ``explainer/rules/<name>.yaml`` once per process."""
    text = files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
