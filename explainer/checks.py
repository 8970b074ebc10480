"""Every check that runs on the findings data itself, in one place.

`explainer check` runs them strictly (source files must be there); `explainer build`
runs them with missing source files downgraded to warnings, so a findings file can be
rendered on a machine that does not hold the source texts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .load import LoadedDocument
from .problems import Problem


def quote_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .quotes import verify_quotes

    return verify_quotes(loaded, sources_dir, require_sources=require)


def screening_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .screening import screening_problems

    return screening_problems(loaded, sources_dir)


def caveat_rule_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .caveats import caveat_rule_problems

    return caveat_rule_problems(loaded)


def claim_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .claims import claim_problems

    return claim_problems(loaded)


def todo_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .todos import todo_problems
    from .yaml_hints import dropped_comments

    dropped = [Problem(str(loaded.path), line, key, message, "warning")
               for line, key, message in dropped_comments(loaded.path)]
    return dropped + todo_problems(loaded)


Check = Callable[[LoadedDocument, "Path | None", bool], "list[Problem]"]

# In order; add a new data check here and both `check` and `build` run it.
DATA_CHECKS: list[Check] = [quote_check, screening_check, caveat_rule_check, claim_check,
                            todo_check]


def data_checks(loaded: LoadedDocument, sources_dir: Path | None = None,
                require_sources: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    for check in DATA_CHECKS:
        problems += check(loaded, sources_dir, require_sources)
    return problems
