"""Readability targets per audience: data in explainer/rules/targets.yaml, overridable by an
``explainer.yaml`` (``readability:`` key, same shape) and by ``--target fk=6,smog=8``."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import InputError, Problem
from .formulas import METRICS, Scores, SentenceRule

_SENTENCE_KEYS = {"hard": float, "very_hard": float, "min_words": int, "long_words": int}
# Length budgets, beside the readability limits: main-part pages (A4 or letter sides; an A5
# page holds about half as much, so A5 budgets are doubled) and main-part body words.
BUDGET_KEYS = {"pages": "main-part pages", "words": "main-part body words"}
PAPER_FACTOR = {"A4": 1, "letter": 1, "A5": 2}
_OFF = ("off", "none", "null", "")


@dataclass(frozen=True)
class Miss:
    """One score on the wrong side of its limit."""

    audience: str
    metric: str
    value: float
    limit: float

    @property
    def label(self) -> str:
        return METRICS[self.metric].label

    def __str__(self) -> str:
        sign = "<" if METRICS[self.metric].easier == "higher" else ">"
        return f"{self.label} {self.value:.1f} {sign} {self.limit:g}"

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "label": self.label, "value": round(self.value, 2),
                "limit": self.limit, "message": str(self)}


@dataclass(frozen=True)
class BudgetMiss:
    """A main part longer than its budget."""

    audience: str
    metric: str  # "pages" or "words"
    value: float
    limit: float

    @property
    def label(self) -> str:
        return BUDGET_KEYS[self.metric]

    def __str__(self) -> str:
        return f"{self.label} {self.value:g} > {self.limit:g}"

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "label": self.label, "value": self.value,
                "limit": self.limit, "message": str(self)}


@dataclass
class Target:
    audience: str
    limits: dict[str, float] = field(default_factory=dict)
    sentences: SentenceRule = field(default_factory=SentenceRule)
    sources: list[str] = field(default_factory=list)
    budget: dict[str, float] = field(default_factory=dict)  # "pages", "words"

    def page_budget(self, paper: str = "A4") -> float | None:
        pages = self.budget.get("pages")
        return None if pages is None else pages * PAPER_FACTOR.get(paper, 1)

    def check_budget(self, pages: int | None, words: int | None,
                     paper: str = "A4") -> list[BudgetMiss]:
        """Budget misses of a main part of ``pages`` pages and ``words`` body words."""
        misses = []
        page_limit = self.page_budget(paper)
        if pages is not None and page_limit is not None and pages > page_limit:
            misses.append(BudgetMiss(self.audience, "pages", pages, page_limit))
        word_limit = self.budget.get("words")
        if words is not None and word_limit is not None and words > word_limit:
            misses.append(BudgetMiss(self.audience, "words", words, word_limit))
        return misses

    def describe_budget(self, paper: str = "A4") -> str:
        parts = []
        if (pages := self.page_budget(paper)) is not None:
            parts.append(f"≤ {pages:g} {paper} pages")
        if (words := self.budget.get("words")) is not None:
            parts.append(f"≤ {words:g} words")
        return ", ".join(parts) or "no length budget"

    def check(self, scores: Scores) -> list[Miss]:
        """Limits that ``scores`` misses; none for text without words (nothing to read)."""
        if not scores.words:
            return []
        misses = []
        for key, limit in self.limits.items():
            value = scores.value(key)
            over = value < limit if METRICS[key].easier == "higher" else value > limit
            if over:
                misses.append(Miss(self.audience, key, value, limit))
        return misses

    def describe(self) -> str:
        if not self.limits:
            return "no limits (scores reported only)"
        parts = []
        for key, limit in self.limits.items():
            sign = "≥" if METRICS[key].easier == "higher" else "≤"
            parts.append(f"{METRICS[key].label} {sign} {limit:g}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"audience": self.audience, "limits": dict(self.limits),
                "sentences": vars(self.sentences).copy(), "sources": list(self.sources),
                "budget": dict(self.budget)}


def parse_target_option(value: str) -> dict[str, float | None]:
    """``"fk=6,smog=8"`` -> ``{"fk": 6.0, "smog": 8.0}``; ``smog=off`` removes a limit."""
    limits: dict[str, float | None] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        key, sep, number = item.partition("=")
        key = key.strip().lower()
        if not sep or (key not in METRICS and key not in BUDGET_KEYS):
            raise ValueError(
                f"'{item.strip()}' is not METRIC=NUMBER with METRIC one of: "
                f"{', '.join([*METRICS, *BUDGET_KEYS])}"
            )
        if number.strip().lower() in _OFF:
            limits[key] = None
            continue
        try:
            limits[key] = float(number)
        except ValueError:
            raise ValueError(f"'{item.strip()}': {number.strip()!r} is not a number") from None
    return limits


def load_targets(
    config: Path | None = None, overrides: dict[str, Any] | None = None
) -> dict[str, Target]:
    """Targets per audience: the shipped rules, then ``config``, then ``overrides``.

    ``overrides`` maps an audience to ``{metric: value}``, or a metric straight to a value to
    change it for every audience; a value of None removes that limit.
    """
    from ..rules import load_rules

    data = copy.deepcopy(load_rules("targets"))  # load_rules is cached and shared: copy it
    audiences: dict[str, Any] = data["audiences"]
    if config is not None:
        _merge_config(audiences, Path(config))
    if overrides:
        for key, value in overrides.items():
            if isinstance(value, dict):
                _set_limits(audiences.setdefault(key, {}), value, "--target", key)
            else:
                for spec in audiences.values():
                    _set_limits(spec, {key: value}, "--target", key)
    return {name: _target(name, spec) for name, spec in audiences.items()}


def _set_limits(spec: dict[str, Any], limits: dict[str, Any], where: str, key: str) -> None:
    budget = {k: limits.pop(k) for k in list(limits) if k in BUDGET_KEYS}
    if budget:
        current_budget = dict(spec.get("budget") or {})
        for name, value in budget.items():
            if value is None:
                current_budget.pop(name, None)
            else:
                current_budget[name] = float(value)
        spec["budget"] = current_budget
    bad = [k for k in limits if k not in METRICS]
    if bad:
        raise InputError([Problem(where, None, key, f"unknown metric {', '.join(bad)} "
                                                    f"(use {', '.join(METRICS)})")])
    current = dict(spec.get("limits") or {})
    for metric, value in limits.items():
        if value is None:
            current.pop(metric, None)
        else:
            current[metric] = float(value)
    spec["limits"] = current


def _target(name: str, spec: dict[str, Any]) -> Target:
    sentences = SentenceRule(**{k: _SENTENCE_KEYS[k](v) for k, v in
                                (spec.get("sentences") or {}).items()})
    limits = {k: float(v) for k, v in (spec.get("limits") or {}).items() if v is not None}
    budget = {k: float(v) for k, v in (spec.get("budget") or {}).items() if v is not None}
    return Target(name, limits, sentences, list(spec.get("sources") or []), budget)


def _merge_config(audiences: dict[str, Any], path: Path) -> None:
    from ..document.load import dotted, line_of, read_yaml

    where = str(path)
    if not path.exists():
        raise InputError([Problem(where, None, "", "no such config file")])
    data, lines = read_yaml(path, "config file")
    if not isinstance(data, dict) or "readability" not in data:
        return  # the file configures other things only
    problems: list[Problem] = []

    def problem(loc: tuple[str, ...], message: str) -> None:
        problems.append(Problem(where, line_of(lines, loc), dotted(loc), message))

    section = data["readability"]
    if not isinstance(section, dict):
        problem(("readability",), "expected a mapping with an 'audiences' key")
        raise InputError(problems)
    for key in section:
        if key not in ("audiences", "sources"):
            problem(("readability", str(key)), "unknown key (expected 'audiences')")
    for name, spec in (section.get("audiences") or {}).items():
        loc = ("readability", "audiences", str(name))
        if not isinstance(spec, dict):
            problem(loc, "expected a mapping with 'limits' and/or 'sentences'")
            continue
        merged = audiences.setdefault(str(name), {})
        for key, value in spec.items():
            if key == "limits":
                if not isinstance(value, dict):
                    problem((*loc, "limits"), "expected a mapping of metric: number")
                    continue
                good = {}
                for metric, number in value.items():
                    if metric not in METRICS:
                        problem((*loc, "limits", str(metric)),
                                f"unknown metric (use {', '.join(METRICS)})")
                    elif number is not None and not isinstance(number, int | float):
                        problem((*loc, "limits", str(metric)), "expected a number or null")
                    else:
                        good[metric] = number
                _set_limits(merged, good, where, str(name))
            elif key == "sentences":
                if not isinstance(value, dict):
                    problem((*loc, "sentences"), "expected a mapping")
                    continue
                rule = dict(merged.get("sentences") or {})
                for k, v in value.items():
                    if k not in _SENTENCE_KEYS:
                        problem((*loc, "sentences", str(k)),
                                f"unknown key (use {', '.join(_SENTENCE_KEYS)})")
                    elif not isinstance(v, int | float):
                        problem((*loc, "sentences", str(k)), "expected a number")
                    else:
                        rule[k] = v
                merged["sentences"] = rule
            elif key == "sources":
                merged["sources"] = list(value or [])
            elif key == "budget":
                if not isinstance(value, dict):
                    problem((*loc, "budget"), "expected a mapping of pages/words: number")
                    continue
                good = {}
                for name_, number in value.items():
                    if name_ not in BUDGET_KEYS:
                        problem((*loc, "budget", str(name_)),
                                f"unknown budget (use {', '.join(BUDGET_KEYS)})")
                    elif number is not None and (not isinstance(number, int | float)
                                                 or number <= 0):
                        problem((*loc, "budget", str(name_)), "expected a positive number or null")
                    else:
                        good[name_] = number
                _set_limits(merged, good, where, str(name))
            else:
                problem((*loc, str(key)),
                        "unknown key (expected 'limits', 'sentences', 'sources', 'budget')")
    if problems:
        raise InputError(problems)

