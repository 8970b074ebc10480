"""Rules that are data: YAML files shipped inside the package, each rule citing its source."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

# The folder the rule files are read from (tests point it at a copy).
SHIPPED = Path(__file__).parent
RULES_DIR = SHIPPED


@cache
def _loaded(name: str) -> tuple[Any, Any, dict]:
    """(data, validated model, line map) of one rule file, read and checked once per process."""
    from pydantic import ValidationError

    from ..document.load import read_yaml, schema_problems
    from ..problems import InputError, Problem
    from .schema import schema_of

    path = RULES_DIR / f"{name}.yaml"
    data, lines = read_yaml(path, "rule file", cache=_cache(path))  # safe, no aliases, lines
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, "", "a rule file is a YAML mapping of keys")])
    model = schema_of(name)
    try:
        return data, model.model_validate(data), lines
    except ValidationError as exc:
        raise InputError(schema_problems(path, data, lines, exc.errors(), model)) from None


def _cache(path: Path) -> Callable[[str, Callable[[], Any]], Any] | None:
    """The shipped files' parses are kept between runs (explainer.rules.parsed_cache); a
    folder the tests point ``RULES_DIR`` at is parsed every time."""
    from .parsed_cache import cache_dir, cached_parse

    if RULES_DIR != SHIPPED:
        return None
    folder = cache_dir()
    return lambda text, parse: cached_parse(path, text, parse, folder)


def load_rules(name: str) -> Any:
    """``explainer/rules/<name>.yaml`` as parsed, once validated by its schema (cached and
    shared: do not mutate it). A bad rule file is an InputError: one line per problem with
    file, line and key."""
    return _loaded(name)[0]


def rule_model(name: str) -> Any:
    """The same file as its validated model (``explainer.rules.schema``)."""
    return _loaded(name)[1]


def rule_problem(name: str, loc: tuple[str | int, ...], message: str) -> Any:
    """A problem at ``loc`` of rule file ``name`` (a check the schema cannot make, such as a
    pattern that only compiles once its placeholders are filled), with its line."""
    from ..document.load import dotted, line_of
    from ..problems import Problem

    return Problem(str(RULES_DIR / f"{name}.yaml"), line_of(_loaded(name)[2], loc), dotted(loc),
                   message)


def clear_cache() -> None:
    """Forget every file read (for tests that point ``RULES_DIR`` elsewhere)."""
    _loaded.cache_clear()
