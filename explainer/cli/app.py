"""The Typer app and the rule every command shares: bad input -> one line per problem, exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from ..problems import InputError


class _Guarded(TyperGroup):
    """Every command: an InputError that no command caught (a bad rule file, met wherever it
    is first read) is its lines on stderr and exit 2, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer passes its own click's Context
        try:
            return super().invoke(ctx)
        except InputError as exc:
            report_input_error(exc)
            raise typer.Exit(EXIT_BAD_INPUT) from None


app = typer.Typer(
    cls=_Guarded,
    name="explainer",
    help="Turn structured findings of medical research into plain-language explainers "
    "for patients, clinicians and the press.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

T = TypeVar("T")

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def report_input_error(exc: InputError) -> None:
    for problem in exc.problems:
        print(str(problem), file=sys.stderr)


def fail_input(problems: list) -> NoReturn:
    """Print each problem on its own line and exit 2."""
    report_input_error(InputError(problems))
    raise typer.Exit(EXIT_BAD_INPUT)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code; turn InputError into its lines on stderr and exit code 2."""
    try:
        return fn()
    except InputError as exc:
        report_input_error(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def split_list(value: str | None, allowed: tuple[str, ...], option: str) -> list[str]:
    """'a,b' -> ['a', 'b'], each checked against ``allowed``."""
    if not value:
        return list(allowed)
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise typer.BadParameter(
            f"{', '.join(bad)} not one of: {', '.join(allowed)}", param_hint=option
        )
    return items
