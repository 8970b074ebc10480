"""`explainer new`: a commented starter findings file for a topic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, guarded


@app.command()
def new(
    topic: Annotated[str, typer.Argument(help="Topic name, e.g. coffee-and-health.")],
    sources: Annotated[Path | None, typer.Option(
        "--sources", file_okay=False, dir_okay=True,
        help="Folder of source texts (.txt, .md, .html) to list in the file "
        "(default: the file's own folder).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Findings file to write (default: TOPIC.yaml here).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a starter findings file for TOPIC, commented for a first-time user.

    Each part says what it is for with one example; what you must write is marked TODO.
    The file validates and builds at once into three explainers marked DRAFT. It points at
    findings.schema.json (written beside it) for hover help in editors.
    """
    from ..authoring.starter_file import slug, write_starter
    from ..document.load import load_document

    target = out or Path(f"{slug(topic) or topic}.yaml")
    result = guarded(lambda: write_starter(topic, target, sources, force))
    guarded(lambda: load_document(result.findings))  # it must validate as written
    typer.echo(f"wrote {result.findings} (and {result.schema} for editor help)")
    if result.created_source:
        typer.echo(f"wrote {result.created_source}: no source texts were found, paste one in")
    else:
        typer.echo(f"listed {len(result.sources)} source files")
    f = result.findings
    typer.echo("next:\n"
               f"  explainer check {f}      # the TODOs left, with their lines\n"
               f"  explainer serve {f}      # live preview while you write\n"
               f"  explainer build {f}      # three explainers, marked DRAFT until you remove "
               "draft: true")
