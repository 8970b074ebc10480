"""Rules that are data: YAML files shipped inside the package, each rule citing its source."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

# libyaml's safe loader when PyYAML has it: about ten times faster on the larger rule files,
# which the editor commands wait for. Same safe constructor as yaml.safe_load.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_rules(name: str) -> Any:
    """Parse ``explainer/rules/<name>.yaml`` once per process (shared: do not mutate it)."""
    text = files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_SAFE_LOADER)
