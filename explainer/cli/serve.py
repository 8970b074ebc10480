"""`explainer serve`: a live preview of a findings file in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, fail_input


@app.command()
def serve(
    file: Annotated[Path | None, typer.Argument(
        help="Findings file to preview (default: the bundled example).")] = None,
    port: Annotated[int, typer.Option(
        "--port", "-p", min=0, max=65535, help="Port (0 picks a free one).")] = 8000,
    host: Annotated[str, typer.Option(
        "--host", help="Address to bind; the default keeps the preview on this machine.")]
        = "127.0.0.1",
    sources: Annotated[Path | None, typer.Option(
        "--sources", help="Folder of source texts (default: the file's sources_dir).")] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Folder of templates overriding the built-in ones.")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Config file (default: explainer.yaml beside the file).")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf/--no-pdf", help="Also build the PDFs once edits pause.")] = True,
) -> None:
    """Preview the three explainers side by side, rebuilt as you save.

    Watches the findings file, its sources, the templates and the config. The HTML is rebuilt
    at once and the page reloads itself; the PDFs follow once edits pause. A save that does
    not build shows its problems on the page and keeps the last good preview. Serves only the
    built outputs; Ctrl-C stops it.
    """
    from ..authoring.serve import serve as run
    from ..build.topic import bundled_example
    from ..problems import Problem

    target = file or bundled_example()
    if not target.is_file():
        fail_input([Problem(str(target), None, "", "findings file not found")])
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding {host} lets other machines see the preview", err=True)

    def ready(bound_host: str, bound_port: int, preview) -> None:
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        typer.echo(f"serving {target} at http://{shown}:{bound_port}/ (Ctrl-C to stop)")
        if preview.state.error:
            typer.echo("the first build failed; the page shows why", err=True)

    try:
        run(target, host, port, config=config, templates=templates, sources=sources, pdf=pdf,
            on_ready=ready)
    except OSError as exc:  # port in use, address not available
        fail_input([Problem(f"{host}:{port}", None, "", f"cannot listen: {exc.strerror or exc}")])
