"""`explainer check`: the findings data against its sources, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import EXIT_BAD_INPUT, app, report_input_error

if TYPE_CHECKING:
    from ..problems import Problem

def _problem_dict(p: Problem) -> dict[str, object]:
    return {"file": p.file, "line": p.line, "key": p.key, "message": p.message, "level": p.level}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="Findings YAML files to check.")],
    sources: Annotated[Path | None, typer.Option(
        "--sources", exists=True, file_okay=False, dir_okay=True,
        help="Folder of source texts (default: each file's sources_dir, else its folder).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON report instead of lines.")] = False,
) -> None:
    """Check findings files against their sources.

    Verifies that every evidence quote and press quote appears verbatim in its source file,
    screens the sources (spun copies, AI-generated text, preprints, disagreements about a
    study) and runs the caveat and claim rules. Prints one line per problem
    (file:line: key: message) and a summary; exits 2 if any problem is an error.
    """
    from ..document.load import load_document
    from ..guards.checks import data_checks
    from ..problems import InputError
    from ..sources.quotes import count_verified

    reports: list[dict[str, object]] = []
    all_problems: list[Problem] = []
    verified = total = 0
    bad_input = False
    for path in files:
        try:
            loaded = load_document(path)
        except InputError as exc:
            bad_input = True
            if not as_json:
                report_input_error(exc)
            all_problems += exc.problems
            reports.append({"file": str(path), "loaded": False, "quotes_verified": 0,
                            "quotes_total": 0,
                            "problems": [_problem_dict(p) for p in exc.problems]})
            continue
        problems = data_checks(loaded, sources, require_sources=True)
        ok, n = count_verified(loaded, problems)
        verified, total = verified + ok, total + n
        all_problems += problems
        reports.append({"file": str(path), "loaded": True, "quotes_verified": ok,
                        "quotes_total": n, "problems": [_problem_dict(p) for p in problems]})
        if not as_json:
            for p in problems:
                typer.echo(str(p))

    errors = sum(1 for p in all_problems if p.level == "error")
    warnings = len(all_problems) - errors
    if as_json:
        typer.echo(json.dumps({"files": reports, "quotes_verified": verified, "quotes_total": total,
                               "errors": errors, "warnings": warnings},
                              indent=2, ensure_ascii=False))
    else:
        typer.echo(f"{_plural(verified, 'quote')} verified of {total}, "
                   f"{_plural(len(all_problems), 'problem')} "
                   f"({_plural(errors, 'error')}, {_plural(warnings, 'warning')})")
    if errors or bad_input:
        raise typer.Exit(EXIT_BAD_INPUT)
