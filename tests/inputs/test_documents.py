"""Word and OpenDocument drafts: the text a reader sees, scored like the same text as .txt."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import BODY, CELLS, DELETED, INSERTED, INTRO, ITEMS, NOTE, SUBHEAD, TITLE, make_docx
from typer.testing import CliRunner

from explainer.cli import app
from explainer.inputs.office import read_docx, read_odt
from explainer.readability.drafts import Input, read_draft
from explainer.readability.scoring import score_draft

runner = CliRunner()


def same_as_txt(path: Path) -> Path:
    """The same text as a reader sees it, saved as plain text the way Word saves it: a
    paragraph per line, list items with a bullet, a table row per line with tabs between."""
    lines = [TITLE, "", INTRO, "", *[f"- {i}" for i in ITEMS], "", "\t".join(CELLS[:2]),
             "\t".join(CELLS[2:]), "", SUBHEAD, "", BODY, "", INSERTED, "", NOTE, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_docx_reads_what_a_reader_sees(tmp_path: Path) -> None:
    paragraphs = read_docx(make_docx(tmp_path / "draft.docx"))
    kinds = [(p.kind, p.text) for p in paragraphs]
    assert kinds[0] == ("heading", TITLE)
    assert ("heading", SUBHEAD) in kinds
    assert ("body", INTRO) in kinds  # the footnote mark is not part of the text
    assert all(("body", c) in kinds for c in CELLS)  # each table cell is a unit
    assert all(("body", i) in kinds for i in ITEMS)
    assert kinds[-1] == ("body", NOTE)  # footnotes after the body
    text = " ".join(p.text for p in paragraphs)
    assert DELETED not in text and "cut by the editor" not in text  # a tracked deletion
    assert INSERTED in text  # a tracked insertion reads as accepted


def test_docx_scores_like_the_same_text_as_txt(tmp_path: Path) -> None:
    docx_draft = read_draft(Input(str(make_docx(tmp_path / "draft.docx")), "docx"))
    txt_draft = read_draft(Input(str(same_as_txt(tmp_path / "draft.txt")), "txt"))
    for audience in ("patient", "press"):
        a = score_draft(docx_draft, audience, diagnose=False).body
        b = score_draft(txt_draft, audience, diagnose=False).body
        assert a.words == b.words and a.sentences == b.sentences
        assert abs(a.flesch_kincaid_grade - b.flesch_kincaid_grade) <= 0.2
        assert abs(a.smog - b.smog) <= 0.2


def make_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        ChangedRegion,
        Deletion,
        H,
        List,
        ListItem,
        Note,
        NoteBody,
        NoteCitation,
        P,
        TrackedChanges,
    )

    doc = OpenDocumentText()
    changes = TrackedChanges()
    from odf.namespaces import XMLNS

    region = ChangedRegion(qattributes={(XMLNS, "id"): "ct1"})
    deletion = Deletion()
    deletion.addElement(P(text=DELETED))
    region.addElement(deletion)
    changes.addElement(region)
    doc.text.addElement(changes)
    doc.text.addElement(H(outlinelevel=1, text=TITLE))
    intro = P(text=INTRO)
    note = Note(id="n1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text=NOTE))
    note.addElement(body)
    intro.addElement(note)
    doc.text.addElement(intro)
    items = List()
    for item in ITEMS:
        li = ListItem()
        li.addElement(P(text=item))
        items.addElement(li)
    doc.text.addElement(items)
    table = Table(name="t")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row_cells in (CELLS[:2], CELLS[2:]):
        row = TableRow()
        for text in row_cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.text.addElement(H(outlinelevel=2, text=SUBHEAD))
    doc.text.addElement(P(text=BODY))
    doc.text.addElement(P(text=INSERTED))
    doc.save(str(path))
    return path


def test_odt_reads_what_a_reader_sees_and_scores_like_txt(tmp_path: Path) -> None:
    paragraphs = read_odt(make_odt(tmp_path / "draft.odt"))
    kinds = [(p.kind, p.text) for p in paragraphs]
    assert kinds[0] == ("heading", TITLE) and ("heading", SUBHEAD) in kinds
    assert ("body", INTRO) in kinds and kinds[-1] == ("body", NOTE)
    assert all(("body", c) in kinds for c in [*CELLS, *ITEMS])
    assert DELETED not in " ".join(p.text for p in paragraphs)
    odt = score_draft(read_draft(Input(str(tmp_path / "draft.odt"), "odt")), diagnose=False)
    txt = score_draft(read_draft(Input(str(same_as_txt(tmp_path / "d.txt")), "txt")),
                      diagnose=False)
    assert abs(odt.body.flesch_kincaid_grade - txt.body.flesch_kincaid_grade) <= 0.2


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("short.docx", lambda p: _write(p, b"PK"), "not a readable Word (.docx) file"),
        ("noword.docx", lambda p: _zip(p, {"a.txt": b"hi"}), "has no word/document.xml"),
        ("broken.docx", lambda p: _zip(p, {"[Content_Types].xml": b"<Types", "word/document.xml":
                                           b"<w:document"}), "cannot read Word file"),
        ("bomb.docx", lambda p: _zip(p, {"word/document.xml": b"\0" * 101_000_000}),
         "unpacks to 101,000,000 bytes"),
        ("text.odt", lambda p: _write(p, b"not a zip"), "not a readable OpenDocument"),
        ("broken.odt", lambda p: _zip(p, {"content.xml": b"<office:document-content",
                                          "mimetype": b"application/vnd.oasis.opendocument.text"}),
         "cannot read OpenDocument file"),
    ],
)
def test_hostile_or_broken_files_are_one_line_exit_2(tmp_path: Path, name: str, make,
                                                     message: str) -> None:
    path = make(tmp_path / name)
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / name}: ") and message in lines[0]
    assert "Traceback" not in result.output
