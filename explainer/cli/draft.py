"""`explainer draft`: a findings skeleton from the source texts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, guarded


@app.command()
def draft(
    sources: Annotated[list[Path], typer.Argument(
        metavar="SOURCE...", help="Source texts (.txt, .md, .html).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Findings file to write (default: standard output).")] = None,
    topic: Annotated[str | None, typer.Option(
        "--topic", help="Topic slug (default: the output file's name, else 'draft').")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a findings skeleton from source texts, every fact with its evidence quote.

    Reads study metadata (journal, DOI, dates, sample size, design, ages, setting, doses,
    comparators, outcome measures), every numeric result with its unit, the screening verdict
    on each source and where the sources disagree; lists the caveat kinds the caveat rules
    will demand. Deterministic and offline. Wording for each audience is left as TODO.
    """
    from ..authoring.drafting import draft as make_draft
    from ..authoring.drafting import draft_yaml
    from ..authoring.starter_file import slug
    from ..problems import InputError, Problem

    name = slug(topic or (out.stem if out else "draft")) or "draft"

    def run() -> str:
        if out is not None and out.exists() and not force:
            raise InputError([Problem(str(out), None, "", "already exists; --force replaces it")])
        return draft_yaml(make_draft(sources, name, out))

    text = guarded(run)
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..authoring.starter_file import SCHEMA_NAME
    from ..build.output import write_atomic

    schema = out.parent / SCHEMA_NAME
    if not schema.exists():  # the file's first line points editors at it
        import json

        from ..document.schema_help import findings_schema

        write_atomic(schema, json.dumps(findings_schema(), indent=2, ensure_ascii=False) + "\n")
    write_atomic(out, text)
    typer.echo(f"wrote {out}", err=True)
