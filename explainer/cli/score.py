"""`explainer score`: readability of any text, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .app import EXIT_CHECK_FAILED, app, fail_input

if TYPE_CHECKING:
    from ..scoring import DocumentScore
    from ..targets import Target

_COLUMNS = (("fk", "FK"), ("smog", "SMOG"), ("fre", "FRE"), ("fog", "Fog"), ("cli", "CLI"),
            ("ari", "ARI"), ("dc", "DC"))
_DETAIL_ROWS = 5


@app.command()
def score(
    paths: list[str] = typer.Argument(
        ..., metavar="PATH",
        help="Files (.txt, .md, .html, .pdf), folders (searched recursively for those suffixes), "
        "glob patterns in quotes, or - for standard input.",
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
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON for machines instead of a table."
    ),
    details: bool = typer.Option(
        False, "--details", "-d",
        help="Also list the hardest and long sentences, long words, passive verbs and plainer "
        "words for each file.",
    ),
    sections: bool = typer.Option(
        False, "--sections", help="Add one row per section of each HTML file."
    ),
    stdin_format: str | None = typer.Option(
        None, "--stdin-format", metavar="txt|md|html",
        help="Format of standard input; guessed from its content when not given.",
    ),
) -> None:
    """Score readability (Flesch-Kincaid, SMOG, Flesch Reading Ease, Gunning Fog, Coleman-Liau,
    ARI, Dale-Chall) of what a reader sees, and check it against the audience's target.

    Exits 0 when every file meets its target, 1 when any file is over target, and 2 for bad
    input (missing file, unknown suffix, bad option), with one line per problem.
    """
    from ..problems import InputError, Problem
    from ..scoring import collect_inputs, read_input, score_content
    from ..targets import load_targets, parse_target_option

    problems: list[Problem] = []
    limits: dict[str, float | None] = {}
    if target is not None:
        try:
            limits = parse_target_option(target)
        except ValueError as exc:
            problems.append(Problem("--target", None, "", str(exc)))
    if stdin_format is not None and stdin_format not in ("txt", "md", "html"):
        problems.append(Problem("--stdin-format", None, "", f"'{stdin_format}' is not txt, md "
                                                            "or html"))
    inputs, found = collect_inputs(paths)
    problems += found
    chosen = audience or ("custom" if target is not None else "patient")
    overrides: dict[str, Any] = {}
    if target is not None:
        overrides = {chosen: limits}
    try:
        targets = load_targets(config, overrides)
    except InputError as exc:
        problems += exc.problems
        targets = {}
    if targets and chosen not in targets:
        problems.append(Problem("--audience", None, "", f"unknown audience '{chosen}' "
                                                        f"(use {', '.join(targets)})"))
    if problems:
        fail_input(problems)

    results: list[tuple[str, str, DocumentScore]] = []
    for item in inputs:
        try:
            text, fmt = read_input(item, stdin_format)  # type: ignore[arg-type]
        except InputError as exc:
            problems += exc.problems
            continue
        name = "<stdin>" if item.name == "-" else item.name
        result = score_content(text, fmt, chosen, targets, diagnose=details or as_json)
        if not result.body.words:  # an empty file or an image-only PDF must not pass
            problems.append(Problem(name, None, "", "no text to score"))
            continue
        results.append((name, fmt, result))
    if problems:
        fail_input(problems)

    the_target = targets[chosen]
    if as_json:
        typer.echo(json.dumps(_json(chosen, the_target, results), indent=2))
    else:
        typer.echo(_table(chosen, the_target, results, sections))
        if details:
            for name, _, result in results:
                typer.echo(_details(name, result))
    if any(r.over_target for _, _, r in results):
        raise typer.Exit(EXIT_CHECK_FAILED)


def _json(audience: str, target: Target, results: list[tuple[str, str, DocumentScore]]) -> dict:
    return {
        "audience": audience,
        "target": target.to_dict(),
        "over_target": any(r.over_target for _, _, r in results),
        "files": [{"path": name, "format": fmt, **r.to_dict()} for name, fmt, r in results],
    }


def _table(audience: str, target: Target, results: list[tuple[str, str, DocumentScore]],
           sections: bool) -> str:
    header = ["file", "words", "sent", *(label for _, label in _COLUMNS), "result"]
    rows: list[list[str]] = []
    for name, fmt, r in results:
        missed = {m.metric for m in r.misses}
        rows.append([name, str(r.body.words), str(r.body.sentences),
                     *(_cell(r.body.value(k), k in missed) for k, _ in _COLUMNS),
                     "OVER: " + "; ".join(map(str, r.misses)) if r.misses else "ok"])
        if sections and fmt == "html":
            for s in r.sections:
                rows.append([f"  #{s.id}", str(s.scores.words), str(s.scores.sentences),
                             *(_cell(s.scores.value(k), False) for k, _ in _COLUMNS), ""])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [f"Audience: {audience}. Target: {target.describe()}.", ""]
    for row in [header, *rows]:
        cells = [c.ljust(w) if i == 0 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row[:-1], widths, strict=True))]
        lines.append("  ".join(cells) + "  " + row[-1])
    if any(r.misses for _, _, r in results):
        lines += ["", "* over target"]
    over = sum(1 for _, _, r in results if r.over_target)
    lines += ["", f"{len(results)} file(s) scored, {over} over target."]
    return "\n".join(lines)


def _cell(value: float, missed: bool) -> str:
    return f"{value:.1f}" + ("*" if missed else "")


def _details(name: str, r: DocumentScore) -> str:
    d = r.diagnosis
    out = ["", f"== {name}"]
    if d.hardest:
        out.append("Hardest sentences (Flesch-Kincaid grade of the sentence):")
        out += [f"  {s.grade:5.1f}  {_clip(s.text)}" for s in d.hardest[:_DETAIL_ROWS]]
    if d.long_sentences:
        out.append(f"Long sentences (over {r.target.sentences.long_words} words):")
        out += [f"  {s.words:5d}  {_clip(s.text)}" for s in d.long_sentences[:_DETAIL_ROWS]]
    if d.unexplained_words:
        words = ", ".join(f"{w.word} ({w.count})" for w in d.unexplained_words[:15])
        out.append(f"Words of 3+ syllables not in a glossary: {words}")
    if d.passive:
        out.append("Passive verbs:")
        out += [f"  '{p.phrase}' in: {_clip(p.sentence)}" for p in d.passive[:_DETAIL_ROWS]]
    if d.plain_words:
        out.append("Plainer words:")
        out += [f"  {p.found} -> {p.plain} ({p.count}x)" for p in d.plain_words]
    if len(out) == 2:
        out.append("Nothing to flag.")
    return "\n".join(out)


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
