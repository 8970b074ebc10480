"""`explainer validate` and `explainer schema`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .app import app, fail_input


@app.command()
def validate(
    files: list[Path] = typer.Argument(
        ..., help="Findings YAML files to check against the schema."
    ),
) -> None:
    """Check findings files: schema, types, required keys and cross-references.

    Prints one line per problem (file:line: key: message) and exits 2 if any file has one.
    """
    from ..document.load import load_document
    from ..problems import InputError

    failed: list[InputError] = []
    for path in files:
        try:
            loaded = load_document(path)
        except InputError as exc:
            failed.append(exc)
            continue
        doc = loaded.doc
        typer.echo(
            f"{path}: ok ({len(doc.studies)} studies, {len(doc.findings)} findings, "
            f"{len(doc.caveats)} caveats)"
        )
    if failed:
        fail_input([p for e in failed for p in e.problems])


@app.command()
def schema(
    out: Path = typer.Option(
        None, "--out", "-o", help="Write the schema to this file instead of standard output "
        "(point a findings file at it with '# yaml-language-server: $schema=FILE')."),
) -> None:
    """Print the JSON Schema of a findings file, for editor autocompletion and validation.

    Every property has a description and an example, so an editor's YAML extension shows
    help on hover.
    """
    from ..document.schema_help import findings_schema

    text = json.dumps(findings_schema(), indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
        return
    from ..build.output import write_atomic

    write_atomic(out, text + "\n")
    typer.echo(f"wrote {out}")
