"""`explainer build`: findings files -> explainers in out/."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import EXIT_CHECK_FAILED, app, fail_input, split_list

AUDIENCE_NAMES = ("patient", "clinician", "press")


@app.command()
def build(
    files: list[Path] = typer.Argument(
        None, help="Findings YAML files. Default: the bundled ketamine example."),
    audience: str = typer.Option(
        None, "--audience", "-a", help="Comma-separated audiences: patient,clinician,press (default all)."),
    fmt: str = typer.Option(None, "--format", "-f", help="Comma-separated formats: html,pdf (default both)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder; files go to OUT/<topic>/."),
    paper: str = typer.Option("a4", "--paper", help="Page size for PDF and print: a4, a5 or letter."),
    large_print: bool = typer.Option(False, "--large-print", help="16 pt body text instead of 12 pt."),
    sources: Path = typer.Option(
        None, "--sources", help="Folder holding the source texts (default: the file's sources_dir)."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 1 when any output misses its readability target."),
    pdf_variant: str = typer.Option(
        "pdf/ua-1", "--pdf-variant", help="PDF variant: pdf/ua-1 (accessible, default), pdf/a-3u, or none."),
) -> None:
    """Build patient, clinician and press explainers (HTML and PDF) from findings files.

    Every mandatory caveat is proven present in each output and the claim guard runs on
    the rendered text; an output that fails is not written, so the last good file stays.
    Exit codes: 0 built, 1 an output failed a check (or missed its target with --strict),
    2 bad input.
    """
    from ..build import BuildOptions, build_topic, bundled_example
    from ..problems import InputError
    from ..render import PAPER_SIZES, RenderOptions

    if paper not in PAPER_SIZES:
        raise typer.BadParameter(f"{paper!r} is not one of {', '.join(PAPER_SIZES)}", param_hint="--paper")
    options = BuildOptions(
        audiences=tuple(split_list(audience, AUDIENCE_NAMES, "--audience")),  # type: ignore[arg-type]
        formats=tuple(split_list(fmt, ("html", "pdf"), "--format")),
        out_dir=out,
        render=RenderOptions(paper=paper, large_print=large_print),
        sources_dir=sources,
        pdf_variant=None if pdf_variant == "none" else pdf_variant,
        strict=strict,
    )
    paths = files or [bundled_example()]
    bad_input, failed = [], False
    for path in paths:
        try:
            result = build_topic(path, options)
        except InputError as exc:
            bad_input += exc.problems
            continue
        for problem in result.problems:
            typer.echo(str(problem), err=True)
        for o in result.outputs:
            for problem in o.problems:
                typer.echo(str(problem), err=True)
        _summary(result)
        failed = failed or not result.ok
    if bad_input:
        fail_input(bad_input)
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _summary(result) -> None:
    typer.echo(f"\n{result.topic}  ({result.findings})")
    typer.echo(f"  {'audience':<10} {'FK grade':>8} {'SMOG':>6} {'target':<22} {'status':<10} files")
    for o in result.outputs:
        score = o.score
        fk = getattr(getattr(score, "body", None), "flesch_kincaid_grade", None)
        smog = getattr(getattr(score, "body", None), "smog", None)
        target = getattr(score, "target_text", "") or ""
        status = "written" if o.written else "FAILED"
        if o.written and o.misses:
            status = "over"
        names = ", ".join(p.name for p in o.paths) if o.written else "kept last good"
        typer.echo(f"  {o.audience:<10} {_num(fk):>8} {_num(smog):>6} {target:<22} {status:<10} {names}")


def _num(value) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "-"
