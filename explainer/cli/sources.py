"""`explainer sources`: screen source texts before anyone quotes them."""

from __future__ import annotations

import glob
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, fail_input, guarded

if TYPE_CHECKING:
    from ..problems import Problem
    from ..sources.screening import Screen, ScreenReport

# What a folder argument expands to: text-like files only, so a folder that also holds the
# findings YAML or images is screened sensibly.
TEXT_SUFFIXES = {".txt", ".text", ".md", ".rst", ".html", ".htm"}
KIND_LABELS = {"spun": "spun", "ai_generated": "AI-generated", "preprint": "preprint"}


def expand_paths(args: list[str]) -> tuple[list[Path], list[Problem]]:
    """Files, folders (their text files) and glob patterns -> files; a problem per empty arg."""
    from ..problems import Problem

    found: list[Path] = []
    problems: list[Problem] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            matches = sorted(p for p in path.iterdir()
                             if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                             and not p.name.startswith("."))
        elif path.is_file():
            matches = [path]
        elif glob.has_magic(arg):  # a pattern the shell did not expand (quoted, or Windows)
            matches = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
        else:
            matches = []
        if not matches:
            problems.append(Problem(arg, None, "", "no such file, or no text files there"))
        found += [m for m in matches if m not in found]
    return found, problems


def source_text(path: Path) -> str:
    """What a reader of the source sees: a PDF's text read back, an HTML page's visible text
    (not its markup), any other file as text. Raises InputError for a file the guarded
    reader refuses (a FIFO, a device, too large) or a PDF that cannot be read.
    """
    from ..inputs.guarded_files import FileRefused, read_bytes
    from ..problems import InputError, Problem
    from ..sources.quotes import load_source_text

    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            from pypdf.errors import PyPdfError

            from ..pdf.render import pdf_text, quiet_pypdf

            try:
                with quiet_pypdf():
                    return pdf_text(read_bytes(path, "source"))
            except (PyPdfError, OSError, ValueError) as exc:
                raise InputError([Problem(str(path), None, "", f"cannot read PDF: {exc}")]
                                 ) from None
        if suffix in (".html", ".htm"):
            from ..seen.html import visible_text

            return visible_text(load_source_text(path))
        return load_source_text(path)
    except FileRefused as exc:
        raise InputError([Problem(str(path), None, "", exc.reason)]) from None


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
    from ..problems import InputError
    from ..sources.screening import screen_document, screen_text

    if not paths and findings is None:
        raise typer.BadParameter("give source files or folders, or --findings FILE",
                                 param_hint="PATH")
    files, problems = expand_paths(paths or [])
    if problems:
        fail_input(problems)
    texts = []
    for path in files:
        try:
            texts.append((path, source_text(path)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        fail_input(problems)
    screens = [(path, screen_text(text, path.name)) for path, text in texts]
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
