"""Every check that runs on the findings data itself, in one place.

`explainer check` runs them strictly (source files must be there); `explainer build`
runs them with missing source files downgraded to warnings, so a findings file can be
rendered on a machine that does not hold the source texts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..document.load import LoadedDocument
from ..problems import Problem


def quote_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from ..sources.quotes import verify_quotes

    return verify_quotes(loaded, sources_dir, require_sources=require)


def screening_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from ..sources.screening import screening_problems

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
    from ..document.todos import todo_problems
    from ..document.yaml_hints import dropped_comments

    dropped = [Problem(str(loaded.path), line, key, message, "warning")
               for line, key, message in dropped_comments(loaded.path)]
    return dropped + todo_problems(loaded)


def number_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from .numbers import number_problems

    return number_problems(loaded)


def key_message_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from ..render.keymessages import key_message_problems

    return key_message_problems(loaded)


def timeliness_check(
    loaded: LoadedDocument, sources_dir: Path | None, require: bool
) -> list[Problem]:
    from ..sources.timeliness import timeliness_problems

    return timeliness_problems(loaded)


Check = Callable[[LoadedDocument, "Path | None", bool], "list[Problem]"]

# In order; add a new data check here and both `check` and `build` run it.
DATA_CHECKS: list[Check] = [quote_check, screening_check, caveat_rule_check, claim_check,
                             todo_check, number_check, key_message_check,
                             timeliness_check]


def data_checks(loaded: LoadedDocument, sources_dir: Path | None = None,
                require_sources: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    for check in DATA_CHECKS:
        problems += check(loaded, sources_dir, require_sources)
    return accept_warnings(loaded, problems)


def accept_warnings(loaded: LoadedDocument, problems: list[Problem]) -> list[Problem]:
    """Drop the warnings the file accepts (``accepted_warnings:``, each with a reason).

    Only warnings can be accepted, never errors; the reason is for the file's editors and
    is printed nowhere. An acceptance that no longer matches a warning is itself reported,
    so stale ones do not pile up."""
    accepted = loaded.doc.accepted_warnings
    used: set[int] = set()
    kept = []
    for problem in problems:
        hit = next((i for i, a in enumerate(accepted) if problem.level == "warning"
                    and problem.key == a.key and a.match in problem.message), None)
        if hit is None:
            kept.append(problem)
        else:
            used.add(hit)
    for i, acceptance in enumerate(accepted):
        if i not in used:
            kept.append(loaded.problem(("accepted_warnings", i), (
                f"accepts no warning: none at {acceptance.key} contains "
                f"{acceptance.match!r}; remove it"), "warning"))
    return kept
