"""`explainer score` on hostile input: each is refused with one line and exit 2, or scored
without a crash. (How the cost grows is measured by bench/pathological.py, not here.)"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from explainer.cli import app
from explainer.readability import drafts

runner = CliRunner()


def one_line_exit_2(*args: str, input: bytes | None = None) -> str:
    result = runner.invoke(app, ["score", *args], input=input)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def pdf_with_stream(data: bytes) -> bytes:
    """A one-page PDF whose content stream is ``data``, Flate-compressed."""
    stream = zlib.compress(data, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_oversized_text_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(drafts.MAX_TEXT_BYTES + 1)  # sparse: no 5 MB written
    line = one_line_exit_2(str(big))
    assert line == (f"{big}: too large to score: {drafts.MAX_TEXT_BYTES + 1:,} bytes "
                    f"(limit {drafts.MAX_TEXT_BYTES:,} bytes)")


def test_oversized_standard_input_is_refused() -> None:
    line = one_line_exit_2("-", input=b"a " * (drafts.MAX_TEXT_BYTES // 2 + 1))
    assert line.startswith("<stdin>: too large to score")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00" * 100, "UTF-16 text".encode("utf-16"),
                                  bytes(range(256)) * 20])
def test_binary_standard_input_is_refused(data: bytes) -> None:
    assert one_line_exit_2("-", input=data) == (
        "<stdin>: binary data, not text: refused (score .txt, .md, .html, .pdf, .docx or .odt)")


def test_binary_file_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert "binary data, not text" in one_line_exit_2(str(path))


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert one_line_exit_2(str(fifo)).endswith("not a regular file (a FIFO, device or folder): "
                                               "refused")


def test_flate_bomb_pdf_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_with_stream(b"0" * 120_000_000))  # 120 MB from ~120 KB
    assert bomb.stat().st_size < 1_000_000
    line = one_line_exit_2(str(bomb))
    assert line.startswith(f"{bomb}: cannot read PDF: ") and "bomb" in line


def test_broken_pdf_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdf_with_stream(b"BT /F1 12 Tf (Hi) Tj ET")[:-200])
    result = runner.invoke(app, ["score", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("depth", [1_000, 5_000])
def test_deeply_nested_html_with_a_descendant_selector_is_scored(tmp_path: Path,
                                                                 depth: int) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<style>div p { display: none } div span { color: red }</style>"
                    + "<div>" * depth + "<p>Hidden text here.</p><span>The cat sat on the "
                    "mat.</span>" + "</div>" * depth, encoding="utf-8")
    result = runner.invoke(app, ["score", str(page), "--json"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    from explainer.seen.html import visible_text

    text = visible_text(page.read_text(encoding="utf-8"))
    assert "The cat sat on the mat." in text and "Hidden text" not in text  # CSS still applies


def test_stray_end_tags_and_unclosed_markdown_are_scored(tmp_path: Path) -> None:
    html = tmp_path / "stray.html"
    html.write_text("<p>The cat sat on the mat.</p>" + "</b>" * 5000, encoding="utf-8")
    md = tmp_path / "open.md"
    md.write_text("The cat sat on the mat. " + "<!--" * 2000 + "_a " * 2000 + "![" * 2000,
                  encoding="utf-8")
    for path in (html, md):
        result = runner.invoke(app, ["score", str(path)])
        assert result.exit_code in (0, 1), result.output
