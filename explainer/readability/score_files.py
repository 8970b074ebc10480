"""Score a set of inputs against one audience's target: the library behind `explainer score`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..problems import Problem
    from .diagnostics import Diagnostic
    from .drafts import Input
    from .scoring import DocumentScore
    from .targets import Target


@dataclass(frozen=True)
class Scored:
    """One scored input: its name as given, format, scores and positioned diagnostics."""

    name: str
    format: str
    score: DocumentScore
    diagnostics: list[Diagnostic]


def chosen_audience(audience: str | None, limits_given: bool) -> str:
    """The audience whose target is checked: the one named, else 'custom' for limits given
    alone, else patient."""
    return audience or ("custom" if limits_given else "patient")


def resolve_targets(config: Path | None, chosen: str, limits: dict[str, float | None] | None
                    ) -> tuple[dict[str, Target], list[Problem]]:
    """Targets from the shipped rules and ``config``, with ``limits`` (from --target) applied to
    ``chosen``; the problems found (an unreadable config, an unknown audience)."""
    from ..problems import InputError, Problem
    from .targets import load_targets

    problems: list[Problem] = []
    overrides: dict[str, Any] = {chosen: limits} if limits is not None else {}
    try:
        targets = load_targets(config, overrides)
    except InputError as exc:
        problems += exc.problems
        targets = {}
    if targets and chosen not in targets:
        problems.append(Problem("--audience", None, "", f"unknown audience '{chosen}' "
                                                        f"(use {', '.join(targets)})"))
    return targets, problems


def score_inputs(inputs: list[Input], stdin_format: str | None, chosen: str,
                 targets: dict[str, Target], *, diagnose: bool
                 ) -> tuple[list[Scored], list[Problem]]:
    """Each input read and scored against ``targets[chosen]``; the problems of those that
    cannot be read or have no text to score (an empty file or an image-only PDF must not pass)."""
    from ..problems import InputError, Problem
    from .diagnostics import diagnostics_for
    from .drafts import read_draft
    from .scoring import score_draft

    problems: list[Problem] = []
    results: list[Scored] = []
    for item in inputs:
        try:
            draft = read_draft(item, stdin_format)  # type: ignore[arg-type]
        except InputError as exc:
            problems += exc.problems
            continue
        name = "<stdin>" if item.name == "-" else item.name
        result = score_draft(draft, chosen, targets, diagnose=diagnose)
        if not result.body.words:
            problems.append(Problem(name, None, "", "no text to score"))
            continue
        found_here = diagnostics_for(name, draft.text, draft.format, result) if diagnose else []
        results.append(Scored(name, draft.format, result, found_here))
    return results, problems


def target_misses(item: Scored) -> str:
    """What is over target, as one line."""
    return "; ".join(map(str, item.score.misses))
