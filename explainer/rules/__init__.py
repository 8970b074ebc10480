"""Rules that are data: YAML files shipped inside the package, each rule citing its source."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader when PyYAML has it: about ten times faster on the larger rule files,
# which the editor commands wait for. Same safe constructor as yaml.safe_load.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_rules(name: str) -> Any:
    """Parse ``explainer/rules/<name>.yaml`` once per process (shared: do not mutate it).

    A broken rule file is an InputError naming its file and line, like any other YAML."""
    resource = files(__name__).joinpath(f"{name}.yaml")
    try:
        return yaml.load(resource.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, KeyError, TypeError,
            OverflowError, IndexError, RecursionError):
        from ..document.load import read_yaml  # the slow, exact path only when something is wrong

        read_yaml(Path(str(resource)), "rule file")  # raises the InputError with the line
        raise

