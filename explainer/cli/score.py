"""`explainer score`: readability of any text, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .app import EXIT_CHECK_FAILED, app, fail_input

if TYPE_CHECKING:
    from ..problems import Problem
    from ..readability.score_files import Scored
    from ..readability.targets import Target

_COLUMNS = (("fk", "FK"), ("smog", "SMOG"), ("fre", "FRE"), ("fog", "Fog"), ("cli", "CLI"),
            ("ari", "ARI"), ("dc", "DC"))
_DETAIL_ROWS = 5


_FORMATS = ("plain", "json", "github", "sarif")


@app.command()
def score(
    paths: list[str] = typer.Argument(
        ..., metavar="PATH",
        help="Files (.txt, .md, .html, .pdf, .docx, .odt), folders (searched recursively for "
        "those suffixes), glob patterns in quotes, or - for standard input.",
    ),
    audience: str | None = typer.Option(
        None, "--audience", "-a",
        help="Whose target to check: patient, clinician or press (or an audience from --config). "
        "Default: patient, unless --target is given alone.",
    ),
    target: str | None = typer.Option(
        None, "--target", "-t", metavar="METRIC=N,...",
        help="Limits to check, e.g. fk=6,smog=8 (fre is a minimum, the rest maximums; "
        "metric=off drops one). With --audience they change that audience's target; "
        "alone they are the whole target. Metrics: fk, fre, smog, fog, cli, ari, dc.",
    ),
    config: Path | None = typer.Option(
        None, "--config", "-c", metavar="FILE",
        help="explainer.yaml whose 'readability:' mapping overrides the shipped targets.",
    ),
    output_format: str = typer.Option(
        "plain", "--format", "-f", metavar="plain|json|github|sarif",
        help="plain: a table (and with --details, file:line:col: level: message lines); json: "
        "scores and every diagnostic with its whole sentence; github: GitHub Actions "
        "annotations (::warning file=...,line=...,col=...::); sarif: a SARIF 2.1.0 log.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON for machines instead of a table (same as --format json)."
    ),
    details: bool = typer.Option(
        False, "--details", "-d",
        help="Also list what to fix, each as file:line:col: level: message with its whole "
        "sentence: hard and long sentences, long words, passive verbs and plainer words.",
    ),
    sections: bool = typer.Option(
        False, "--sections", help="Add one row per section of each HTML file."
    ),
    stdin_format: str | None = typer.Option(
        None, "--stdin-format", metavar="txt|md|html",
        help="Format of standard input; guessed from its content when not given.",
    ),
    html_out: Path | None = typer.Option(
        None, "--html", metavar="OUT.html",
        help="Also write a self-contained report: each file's sentences highlighted by "
        "difficulty, scores per section against the target, suggestions inline.",
    ),
) -> None:
    """Score readability (Flesch-Kincaid, SMOG, Flesch Reading Ease, Gunning Fog, Coleman-Liau,
    ARI, Dale-Chall) of what a reader sees, and check it against the audience's target.

    Datelines, bylines, captions and headings are scored apart: they are not sentences to fix.
    Inputs are refused over 5 MB of text (.txt, .md, .html, standard input), 50 MB per .pdf,
    .docx or .odt file, or 5 million characters of text taken from one.

    Exits 0 when every file meets its target, 1 when any file is over target, and 2 for bad
    input (missing file, unknown suffix, unreadable or oversized file, bad option), with one
    line per problem.
    """
    from ..readability.drafts import collect_inputs
    from ..readability.score_files import chosen_audience, resolve_targets, score_inputs

    if as_json:
        output_format = "json"
    limits, problems = _option_problems(output_format, target, stdin_format)
    inputs, found = collect_inputs(paths)
    problems += found
    chosen = chosen_audience(audience, target is not None)
    targets, found = resolve_targets(config, chosen, limits if target is not None else None)
    problems += found
    if problems:
        fail_input(problems)

    want_diagnostics = details or output_format != "plain" or html_out is not None
    results, problems = score_inputs(inputs, stdin_format, chosen, targets,
                                     diagnose=want_diagnostics)
    if problems:
        fail_input(problems)

    the_target = targets[chosen]
    if html_out is not None:
        _write_report(html_out, chosen, the_target, results)
    _print_results(output_format, chosen, the_target, results, sections=sections, details=details)
    if any(r.score.over_target for r in results):
        raise typer.Exit(EXIT_CHECK_FAILED)


def _option_problems(output_format: str, target: str | None, stdin_format: str | None
                     ) -> tuple[dict[str, float | None], list[Problem]]:
    """The --target limits parsed, and one problem per bad --format, --target, --stdin-format."""
    from ..problems import Problem
    from ..readability.targets import parse_target_option

    problems: list[Problem] = []
    limits: dict[str, float | None] = {}
    if output_format not in _FORMATS:
        problems.append(Problem("--format", None, "", f"'{output_format}' is not one of "
                                                      f"{', '.join(_FORMATS)}"))
    if target is not None:
        try:
            limits = parse_target_option(target)
        except ValueError as exc:
            problems.append(Problem("--target", None, "", str(exc)))
    if stdin_format is not None and stdin_format not in ("txt", "md", "html"):
        problems.append(Problem("--stdin-format", None, "", f"'{stdin_format}' is not txt, md "
                                                            "or html"))
    return limits, problems


def _write_report(html_out: Path, chosen: str, the_target: Target, results: list[Scored]) -> None:
    from ..problems import Problem
    from ..readability.score_report import write_score_report

    try:
        write_score_report(html_out, chosen, the_target, results)
    except OSError as exc:
        fail_input([Problem(str(html_out), None, "", f"cannot write: {exc.strerror}")])


def _print_results(output_format: str, chosen: str, the_target: Target, results: list[Scored],
                   *, sections: bool, details: bool) -> None:
    from ..readability.score_files import target_misses

    if output_format == "json":
        typer.echo(json.dumps(_json(chosen, the_target, results), indent=2))
    elif output_format == "sarif":
        from .. import __version__
        from ..readability.diagnostics import sarif_text

        misses = [(r.name, "over target: " + target_misses(r)) for r in results if r.score.misses]
        typer.echo(sarif_text([d for r in results for d in r.diagnostics], misses, __version__))
    elif output_format == "github":
        from ..readability.diagnostics import github_line

        for r in results:
            for d in r.diagnostics:
                typer.echo(github_line(d))
            if r.score.misses:
                typer.echo(f"::error file={r.name},title=over-target::{r.name} is over the "
                           f"{chosen} target: " + target_misses(r))
        typer.echo(_table(chosen, the_target, results, sections))
    else:
        typer.echo(_table(chosen, the_target, results, sections))
        if details:
            for r in results:
                typer.echo(_details(r))


def _json(audience: str, target: Target, results: list[Scored]) -> dict:
    return {
        "audience": audience,
        "target": target.to_dict(),
        "over_target": any(r.score.over_target for r in results),
        "files": [{"path": r.name, "format": r.format, **r.score.to_dict(),
                   "diagnostics": [d.to_dict() for d in r.diagnostics]} for r in results],
    }


def _table(audience: str, target: Target, results: list[Scored], sections: bool) -> str:
    header = ["file", "words", "sent", *(label for _, label in _COLUMNS), "result"]
    rows: list[list[str]] = []
    for item in results:
        r = item.score
        missed = {m.metric for m in r.misses}
        rows.append([item.name, str(r.body.words), str(r.body.sentences),
                     *(_cell(r.body.value(k), k in missed) for k, _ in _COLUMNS),
                     "OVER: " + "; ".join(map(str, r.misses)) if r.misses else "ok"])
        if sections and item.format == "html":
            for s in r.sections:
                rows.append([f"  #{s.id}", str(s.scores.words), str(s.scores.sentences),
                             *(_cell(s.scores.value(k), False) for k, _ in _COLUMNS), ""])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [f"Audience: {audience}. Target: {target.describe()}.", ""]
    for row in [header, *rows]:
        cells = [c.ljust(w) if i == 0 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row[:-1], widths, strict=True))]
        lines.append("  ".join(cells) + "  " + row[-1])
    if any(r.score.misses for r in results):
        lines += ["", "* over target"]
    over = sum(1 for r in results if r.score.over_target)
    lines += ["", f"{len(results)} file(s) scored, {over} over target."]
    return "\n".join(lines)


def _cell(value: float, missed: bool) -> str:
    return f"{value:.1f}" + ("*" if missed else "")


def _details(item: Scored) -> str:
    r = item.score
    d = r.diagnosis
    out = ["", f"== {item.name}"]
    if d.hardest:
        out.append("Hardest sentences (Flesch-Kincaid grade of the sentence):")
        out += [f"  {s.grade:5.1f}  {s.text}" for s in d.hardest[:_DETAIL_ROWS]]
    if d.unexplained_words:
        words = ", ".join(f"{w.word} ({w.count})" for w in d.unexplained_words[:15])
        out.append(f"Words of 3+ syllables not in a glossary: {words}")
    if d.plain_words:
        out.append("Plainer words:")
        out += [f"  {p.found} -> {p.suggestion or p.plain} ({p.count}x)" for p in d.plain_words]
    if item.diagnostics:
        out.append("What to fix, where (file:line:col: level: message):")
        for diag in item.diagnostics:
            out.append(diag.plain())
            out.append(f"    in: {diag.sentence}")
    if len(out) == 2:
        out.append("Nothing to flag.")
    return "\n".join(out)
