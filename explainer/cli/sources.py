"""`explainer sources`: screen source texts before anyone quotes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, guarded

if TYPE_CHECKING:
    from ..sources.screening import Screen, ScreenReport

KIND_LABELS = {"spun": "spun", "ai_generated": "AI-generated", "preprint": "preprint"}


def _print_screen(label: str, screen: Screen) -> None:
    flagged = ", ".join(KIND_LABELS[f.kind] for f in screen.flags) or "no flags"
    typer.echo(f"{label}: spun {screen.spin_score:.2f}, AI-generated {screen.ai_score:.2f}, "
               f"preprint {screen.preprint_score:.2f} -> {flagged}")
    for signal in screen.signals:
        if signal.score <= 0:
            continue
        below = "" if signal in screen.flags else " (below the flag)"
        typer.echo(f"  {KIND_LABELS[signal.kind]} {signal.score:.2f}{below}: {signal.message}")
        for ev in signal.evidence:
            note = f"  [{ev.note}]" if ev.note else ""
            typer.echo(f"    line {ev.line}: {ev.text}{note}")


def _print_report(report: ScreenReport, show_sources: bool) -> None:
    if show_sources:
        for sid, screen in report.screens.items():
            _print_screen(f"{report.files[sid]} ({sid})", screen)
    typer.echo(f"{report.path}: what the sources say about each study")
    if not report.disagreements:
        typer.echo("  no disagreements found about journal, year, peer-review status or size")
    for dis in report.disagreements:
        state = "declared under disagreements:" if dis.known else "NOT declared"
        typer.echo(f"  {dis.study} {dis.describe()} [{state}]")


@app.command()
def sources(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="PATH", help="Source texts to screen: files, folders or glob patterns.",
        show_default=False)] = None,
    findings: Annotated[Path | None, typer.Option(
        "--findings", help="Also report what the sources of this findings file say about "
        "each study, and where they disagree.")] = None,
    sources_dir: Annotated[Path | None, typer.Option(
        "--sources", exists=True, file_okay=False, dir_okay=True,
        help="Folder of the findings file's source texts (default: its sources_dir).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Screen source texts for spinning, AI generation and preprint status.

    For each file prints the three scores (0-1; flagged at 0.5) and the lines that earned them.
    It informs and does not judge: the exit code is 0 unless an argument cannot be read.
    """
    from ..document.load import load_document
    from ..sources.screening import screen_document
    from ..sources.texts import screen_files

    if not paths and findings is None:
        raise typer.BadParameter("give source files or folders, or --findings FILE",
                                 param_hint="PATH")
    screens = guarded(lambda: screen_files(paths or []))
    report = None
    if findings is not None:
        loaded = guarded(lambda: load_document(findings))
        report = screen_document(loaded, sources_dir)

    if as_json:
        out: dict[str, object] = {"sources": [{"path": str(p), **s.to_dict()} for p, s in screens]}
        if report is not None:
            out["findings"] = report.to_dict()
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for path, screen in screens:
        _print_screen(str(path), screen)
    if report is not None:
        _print_report(report, show_sources=not screens)
