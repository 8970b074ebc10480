"""`explainer build`: findings files -> explainers in out/."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..build.batch import summary_rows
from ..document.audiences import AUDIENCES, FORMATS
from .app import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, app, fail_input, split_list

if TYPE_CHECKING:
    from ..build.topic import BuildOptions


@app.command()
def build(
    files: list[Path] = typer.Argument(
        None, help="Findings YAML files, folders (searched for findings files) or quoted glob "
        "patterns such as 'seeds/*.yaml'. Default: the bundled ketamine example."),
    audience: str = typer.Option(
        None, "--audience", "-a",
        help="Comma-separated audiences: patient,clinician,press (default all)."),
    fmt: str = typer.Option(
        None, "--format", "-f", help="Comma-separated formats: html,pdf (default both)."),
    out: Path = typer.Option(
        Path("out"), "--out", "-o", help="Output folder; files go to OUT/<topic>/."),
    paper: str = typer.Option(
        "a4", "--paper", help="Page size for PDF and print: a4, a5 or letter."),
    large_print: bool = typer.Option(
        False, "--large-print", help="16 pt body text instead of 12 pt."),
    sources: Path = typer.Option(
        None, "--sources",
        help="Folder holding the source texts (default: the file's sources_dir)."),
    templates: Path = typer.Option(
        None, "--templates",
        help="Folder whose files replace the built-in templates, style.css or assets of the "
        "same name; anything it lacks comes from the built-in ones."),
    config: Path = typer.Option(
        None, "--config", "-c", metavar="FILE",
        help="Config file with brand: (organisation, logo, logo_alt, colours, contact, footer) "
        "and readability: targets. Default: explainer.yaml beside each findings file."),
    strict: bool = typer.Option(
        False, "--strict",
        help="Exit 1 when any output misses its readability target or its length budget."),
    target: str = typer.Option(
        None, "--target", metavar="SPEC",
        help="Override targets for every audience, e.g. 'pages=3,words=900,fk=7' "
        "(pages: main-part A4 sides; words: main-part body words; 'off' removes one)."),
    pdf_variant: str = typer.Option(
        "pdf/ua-1", "--pdf-variant",
        help="PDF variant: pdf/ua-1 (tagged, accessible; default), pdf/ua-2, pdf/a-3u and the "
        "other PDF/A and PDF/X variants WeasyPrint writes, or none (still tagged)."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", min=1, help="Topics built at once (default: one per CPU core)."),
    force: bool = typer.Option(
        False, "--force", help="Rebuild every topic, even those unchanged since the last build."),
) -> None:
    """Build patient, clinician and press explainers (HTML and PDF) from findings files.

    Every mandatory caveat is proven present in each output and the claim guard runs on
    the rendered text; an output that fails is not written, so the last good file stays.
    A topic whose findings, sources, templates, config and options are unchanged since its
    last good build is skipped (see OUT/.explainer-manifest.json; --force rebuilds).
    Exit codes: 0 built, 1 an output failed a check (or missed its target with --strict) or
    the output folder refused the files (read-only, disk full), 2 bad input.
    """
    from ..build.batch import build_many, discover
    from ..build.topic import bundled_example

    options = _options(audience=audience, fmt=fmt, out=out, paper=paper,
                       large_print=large_print, sources=sources, templates=templates,
                       config=config, strict=strict, target=target, pdf_variant=pdf_variant)
    paths, not_found = discover(files or [bundled_example()])
    for problem in not_found:
        typer.echo(str(problem), err=True)
    env_errors: list[str] = []  # the output folder refused a write: exit 1, not a traceback

    def env_error(line: str) -> None:
        env_errors.append(line)
        typer.echo(line, err=True)

    with _Progress() as progress:
        outcomes = build_many(paths, options, jobs=jobs, force=force, config=config,
                              on_start=progress.start, on_done=progress.done,
                              on_error=env_error)
    for outcome in outcomes:
        _summary(outcome)
    if len(outcomes) > 1 or any(o.skipped for o in outcomes):
        _tally(outcomes, progress.seconds)
    _exit_for(outcomes, bad_paths=bool(not_found), env_errors=bool(env_errors))


def _options(*, audience: str | None, fmt: str | None, out: Path, paper: str,
             large_print: bool, sources: Path | None, templates: Path | None,
             config: Path | None, strict: bool, target: str | None, pdf_variant: str
             ) -> BuildOptions:
    """The command's options checked (bad ones end the run with exit 2) as BuildOptions."""
    from ..build.topic import BuildOptions
    from ..render.html import PAPER_SIZES, RenderOptions

    if paper not in PAPER_SIZES:
        raise typer.BadParameter(f"{paper!r} is not one of {', '.join(PAPER_SIZES)}",
                                 param_hint="--paper")
    if templates is not None and not templates.is_dir():
        raise typer.BadParameter(f"{templates} is not a folder", param_hint="--templates")
    variant = _pdf_variant(pdf_variant)
    if config is not None:
        _check_config(config, templates)
    return BuildOptions(
        audiences=tuple(split_list(audience, AUDIENCES, "--audience")),  # type: ignore[arg-type]
        formats=tuple(split_list(fmt, FORMATS, "--format")),
        out_dir=out,
        render=RenderOptions(paper=paper, large_print=large_print,
                             templates=templates.resolve() if templates else None),
        sources_dir=sources,
        pdf_variant=variant,
        strict=strict,
        config=config,
        target_overrides=_target_overrides(target),
    )


def _pdf_variant(pdf_variant: str) -> str | None:
    from ..pdf.render import check_variant
    from ..problems import Problem

    try:
        return check_variant(pdf_variant)
    except ValueError as exc:
        fail_input([Problem("--pdf-variant", None, "", str(exc))])


def _check_config(config: Path, templates: Path | None) -> None:
    """Once up front, so a bad file is reported once, not per topic."""
    from ..document.config import load_config  # pydantic: not needed to skip unchanged topics
    from ..problems import InputError

    try:
        load_config(config, [templates.resolve()] if templates else [])
    except InputError as exc:
        fail_input(exc.problems)


def _exit_for(outcomes: list[Any], *, bad_paths: bool, env_errors: bool) -> None:
    if bad_paths or any(o.bad_input for o in outcomes):
        raise typer.Exit(EXIT_BAD_INPUT)
    if env_errors or any(o.failed for o in outcomes):
        raise typer.Exit(EXIT_CHECK_FAILED)


def _target_overrides(spec: str | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    from ..readability.targets import parse_target_option

    try:
        return dict(parse_target_option(spec))
    except ValueError as exc:
        from ..problems import Problem

        fail_input([Problem("--target", None, "", str(exc))])
    return None


class _Progress:
    """A progress bar on a terminal; on a pipe or in CI only the problem lines, as they come."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None
        self.started = time.perf_counter()
        self.seconds = 0.0
        # Input problems already shown: a bad rule file (or a shared explainer.yaml) fails
        # every topic alike, and is said once.
        self.printed: set[str] = set()

    def __enter__(self) -> _Progress:
        return self

    def start(self, todo: int) -> None:
        if todo and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress("building", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                "{task.description}", console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=todo)

    def done(self, outcome) -> None:
        inputs = {str(p) for p in outcome.input_problems}
        for line in outcome.problem_lines():
            if line in inputs and line in self.printed:
                continue
            self.printed.add(line)
            if self.bar is not None:
                self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
            else:
                typer.echo(line, err=True)
        if self.bar is not None and not outcome.skipped:
            self.bar.update(self.task, advance=1, description=outcome.topic or outcome.path.name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        self.seconds = time.perf_counter() - self.started


def _summary(outcome) -> None:
    if outcome.result is None and outcome.entry is None:
        return  # bad input or a crash: its problem lines said it all
    rows = outcome.entry.summary if outcome.skipped else summary_rows(outcome.result)
    note = "  unchanged since the last build" if outcome.skipped else ""
    width = max([22, *(len(row["target"]) for row in rows)])
    typer.echo(f"\n{outcome.topic}  ({outcome.path}){note}")
    typer.echo(f"  {'audience':<10} {'FK grade':>8} {'SMOG':>6} {'target':<{width}} "
               f"{'pages':>5} {'words':>5} {'budget':<24} {'status':<10} files")
    for row in rows:
        status = row["status"]
        if outcome.skipped and status == "written":
            status = "unchanged"
        names = ", ".join(row["files"]) if row["files"] else "kept last good"
        typer.echo(f"  {row['audience']:<10} {_num(row['fk']):>8} {_num(row['smog']):>6} "
                   f"{row['target']:<{width}} {_int(row.get('pages')):>5} "
                   f"{_int(row.get('words')):>5} {row.get('budget', ''):<24} {status:<10} {names}")


def _tally(outcomes, seconds: float) -> None:
    built = sum(1 for o in outcomes if o.result is not None and o.result.ok and not o.bad_input)
    skipped = sum(1 for o in outcomes if o.skipped and not o.bad_input)
    failed = sum(1 for o in outcomes if o.failed)
    bad = sum(1 for o in outcomes if o.bad_input)
    typer.echo(f"\n{len(outcomes)} topics in {seconds:.1f} s: {built} built, {skipped} unchanged, "
               f"{failed} failed a check, {bad} bad input")


def _int(value) -> str:
    return str(value) if isinstance(value, int) else "-"


def _num(value) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "-"
