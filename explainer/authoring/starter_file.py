"""`explainer new` as a library: a commented starter findings file that validates at once.

The file lists the source texts found in its sources folder and backs its one finding with a
real phrase from the first of them, so `validate`, `check` and `build` run on it unchanged;
everything a person must write is a TODO (see todos.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

from ..problems import InputError, Problem

SCHEMA_NAME = "findings.schema.json"
PLACEHOLDER_SOURCE = "your-source.txt"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*){3,7}")


@dataclass
class StarterResult:
    findings: Path
    schema: Path
    sources: list[Path]
    created_source: Path | None = None


def slug(topic: str) -> str:
    """'My Topic' -> 'my-topic'."""
    s = re.sub(r"[^a-z0-9]+", "-", topic.strip().lower()).strip("-")
    return s


def source_files(folder: Path) -> list[Path]:
    from ..document.model import SOURCE_SUFFIXES

    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and p.name != "SOURCES.md")


def source_id(path: Path, taken: set[str]) -> str:
    """A short unique id for a source file, from its name; ``taken`` is updated."""
    base = slug(path.stem)[:30].strip("-") or "source"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def first_phrase(path: Path) -> str:
    """A short run of plain words (4-8) from the text: real evidence for the starter finding."""
    from ..sources.quotes import load_source_text

    m = _WORDS.search(load_source_text(path))
    if not m:
        raise InputError([Problem(str(path), None, "", "no run of four plain words to quote "
                                  "from this source; is it a text file?")])
    return m.group(0)


def write_starter(topic: str, out: Path, sources_dir: Path | None = None,
                  force: bool = False) -> StarterResult:
    """Write ``out`` (the findings file) and the JSON Schema beside it. Raises InputError."""
    from ..build.output import write_atomic
    from ..document.schema_help import findings_schema

    name = slug(topic)
    if not name or not _SLUG.match(name):
        raise InputError([Problem("TOPIC", None, "", "a topic needs letters or digits, "
                                  "e.g. explainer new coffee-and-health")])
    if out.exists() and not force:
        raise InputError([Problem(str(out), None, "", "already exists; pick another name with "
                                  "--out, or --force to replace it")])
    folder = out.parent
    src_dir = sources_dir if sources_dir is not None else folder
    found = source_files(src_dir)
    created = None
    if not found:  # no sources yet: a file to paste one into, so the starter still checks out
        src_dir = src_dir if sources_dir is not None else folder / "sources"
        created = src_dir / PLACEHOLDER_SOURCE
        if not created.exists():
            write_atomic(created, "Paste the text of your first source here, replacing this "
                         "line. A press release, a news story or the paper's abstract will do.\n")
        found = [created]
    rel = Path(os.path.relpath(src_dir.resolve(), folder.resolve())).as_posix()
    taken: set[str] = set()
    ids = [source_id(p, taken) for p in found]
    entries = "".join(f"  - {{id: {sid}, file: {_flow(p.name)}, kind: {screened_kind(p)}}}\n"
                      for sid, p in zip(ids, found, strict=True))
    template = files("explainer.authoring.starter").joinpath("starter.yaml.tmpl").read_text(
        encoding="utf-8")
    text = Template(template).substitute(
        topic=name, file=out.name, date=dt.date.today().isoformat(), sources_dir=rel,
        sources=entries, first_id=ids[0], quote=first_phrase(found[0]).replace('"', '\\"'))
    import json

    schema_path = folder / SCHEMA_NAME
    write_atomic(schema_path, json.dumps(findings_schema(), indent=2, ensure_ascii=False) + "\n")
    write_atomic(out, text)
    return StarterResult(out, schema_path, found, created)


KIND_OF_FLAG = {"spun": "copy", "ai_generated": "ai_explainer", "preprint": "preprint"}


def screened_kind(path: Path) -> str:
    """The source kind screening points to (a spun copy, an AI explainer, a preprint), else
    'other' for the writer to set."""
    from ..sources.quotes import load_source_text
    from ..sources.screening import screen_text

    screen = screen_text(load_source_text(path), path.name)
    return next((KIND_OF_FLAG[f.kind] for f in screen.flags), "other")


def _flow(value: str) -> str:
    """A file name safe inside a {...} flow mapping."""
    return value if re.fullmatch(r"[\w.-]+", value) else '"' + value.replace('"', '\\"') + '"'
