"""Helpers shared by test modules in different folders (constants and fixtures are in
conftest.py): topics to build, a Word draft, a PNG, the axe-core browser harness."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import A11Y_HARNESS, CHROMIUM, FIXTURES, MIN_TOPIC, REPO
from typer.testing import CliRunner

# --- topics ----------------------------------------------------------------------------------

GOOD = MIN_TOPIC.read_text(encoding="utf-8")


def make_topics(root: Path, names: list[str], folder: str = "findings") -> list[Path]:
    """Copies of the minimal topic, each with its own topic slug, beside a sources folder."""
    if not (root / "sources").exists():
        shutil.copytree(FIXTURES / "sources", root / "sources")
    paths = []
    for name in names:
        path = root / folder / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD.replace("topic: walking-knee-pain", f"topic: {name}", 1)
                        .replace("sources_dir: ../sources",
                                 f"sources_dir: {root / 'sources'}", 1), encoding="utf-8")
        paths.append(path)
    return paths


def build(*args: str | Path):
    """`explainer build ARGS` in this process (typer's runner): for tests that need only the
    exit code and the files written, not a separate process."""
    from explainer.cli import app

    return CliRunner().invoke(app, ["build", *map(str, args)])


# --- a small file system -------------------------------------------------------------------

@contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (root only; the test is skipped otherwise)."""
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


# --- a PNG -----------------------------------------------------------------------------------

def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real, minimal PNG (no image library needed)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


# --- a Word draft ----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

TITLE = "Ketamine and the brain"
INTRO = ("Ketamine is a medicine that doctors use to put people to sleep for operations. "
         "In small doses it can also lift low mood within a day.")
ITEMS = ["It works fast for some people.", "It can make you feel strange for an hour."]
CELLS = ["Group", "Number of people", "Took ketamine", "Twenty six"]
SUBHEAD = "What the study found"
BODY = ("Researchers gave a second medicine that blocks the brain's own painkillers. "
        "The mood boost was smaller in people who had it first, but the study was small.")
NOTE = "The study was published in a journal in July."
DELETED = "This sentence was cut by the editor and must not be scored at all."
INSERTED = "The editor added this line."


def _footnotes_xml() -> bytes:
    return (f'<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            '<w:continuationSeparator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{NOTE}</w:t></w:r></w:p></w:footnote>'
            '</w:footnotes>').encode()


def make_docx(path: Path) -> Path:
    """A Word file as an editor makes one: title, headings, a list, a table, a footnote, and
    tracked changes (a deletion and an insertion)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    intro = d.add_paragraph(INTRO)
    intro._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="1"/></w:r>'))
    for item in ITEMS:
        d.add_paragraph(item, style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    for cell, text in zip([c for row in table.rows for c in row.cells], CELLS, strict=True):
        cell.text = text
    d.add_heading(SUBHEAD, level=2)
    body = d.add_paragraph(BODY)
    body._p.append(parse_xml(
        f'<w:del xmlns:w="{W}" w:id="7" w:author="Ed" w:date="2025-01-01T00:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve"> {DELETED}</w:delText></w:r></w:del>'))
    d.add_paragraph()._p.append(parse_xml(
        f'<w:ins xmlns:w="{W}" w:id="8" w:author="Ed" w:date="2025-01-01T00:00:00Z"><w:r>'
        f'<w:t>{INSERTED}</w:t></w:r></w:ins>'))
    plain = path.with_suffix(".plain.docx")
    d.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.wordprocessingml.footnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http'
                                    b'://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", _footnotes_xml())
    plain.unlink()
    return path


# --- axe-core in headless Chromium (tests/a11y/run_axe.mjs) ----------------------------------

NARROW = 360  # CSS px: a small phone; no page may scroll sideways at this width


def run_harness(files: list[Path], out_dir: Path) -> dict:
    env = {**os.environ, "CHROMIUM": str(CHROMIUM), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    run = subprocess.run(["node", str(A11Y_HARNESS), str(out_dir), *map(str, files)], cwd=REPO,
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def describe(result: dict) -> str:
    lines = []
    for v in result["violations"]:
        lines.append(f"{Path(result['file']).name}: {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}: {(n['summary'] or '').splitlines()[-1]}")
    return "\n".join(lines)
