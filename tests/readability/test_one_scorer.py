"""One scorer: `explainer score` on a built PDF agrees with what the build reported for that
output, because the PDF's tags say what the HTML's reader-facing scores counted (artifacts out,
headings and parts marked apart kept apart)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from explainer.cli import app
from explainer.document.model import AUDIENCES
from explainer.pdf.structure import APART_TITLE
from explainer.readability.drafts import Input, read_draft
from explainer.readability.scoring import score_draft

pytestmark = pytest.mark.slow  # PDF builds


@pytest.mark.parametrize("audience", AUDIENCES)
def test_score_of_the_built_pdf_agrees_with_the_build(built_example, audience: str) -> None:
    result, out = built_example
    built = next(o for o in result.outputs if o.audience == audience)
    pdf = out / result.topic / f"{audience}.pdf"
    draft = read_draft(Input(str(pdf), "pdf"))
    assert draft.paragraphs is not None  # read by its structure, not as loose text
    scored = score_draft(draft, audience, diagnose=False)
    assert abs(scored.body.flesch_kincaid_grade - built.score.body.flesch_kincaid_grade) <= 0.3
    assert abs(scored.body.smog - built.score.body.smog) <= 0.3
    assert abs(scored.body.words - built.score.body.words) <= 0.02 * built.score.body.words
    assert {p.category for p in draft.paragraphs if p.kind == "apart"} >= {"sources", "meta"}


def test_cli_verdict_on_the_built_pdf_matches_the_build(built_example) -> None:
    result, out = built_example
    patient = next(o for o in result.outputs if o.audience == "patient")
    run = CliRunner().invoke(app, ["score", str(out / result.topic / "patient.pdf")])
    assert run.exit_code == (1 if patient.misses else 0), run.output


def test_apart_parts_are_titled_in_the_pdf_tags(built_example) -> None:
    from pypdf import PdfReader

    result, out = built_example
    reader = PdfReader(str(out / result.topic / "press.pdf"))
    titles = set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/T" in node:
            titles.add(str(node["/T"]))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                stack.append(kid)
    assert {f"{APART_TITLE}sources", f"{APART_TITLE}notes", f"{APART_TITLE}quotes"} <= titles
