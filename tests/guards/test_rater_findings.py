"""Rules tightened after the independent rating of the bundled outputs (December 2026):
GRADE domains as reasons with source problems apart, single-topic chunks under plain
headings, captions that name what was studied and sit in their section, terms explained
where they are used."""

from __future__ import annotations

import pytest
from conftest import BUNDLED

from explainer.document.load import load_document
from explainer.guards.commcheck import evaluate
from explainer.render.certainty import certainty
from explainer.render.view import build_view, defined_inline


@pytest.fixture(scope="module")
def doc():
    return load_document(BUNDLED).doc


def _item(results, instrument: str, number: int):
    return next(r for r in results if r.instrument.startswith(instrument) and r.item == number)


def test_certainty_reasons_are_grade_domains_and_sources_are_apart(doc):
    williams = certainty(doc, doc.study("ajp-trd"))
    assert williams.level == "very low"
    assert all(r.split(" (")[0].removeprefix("very serious ") in
               {"risk of bias", "inconsistency", "indirectness", "imprecision",
                "publication bias"} for r in williams.reasons)
    assert williams.sources and not any("second-hand" in r for r in williams.reasons)
    assert williams.words == "the evidence is very uncertain"
    # Without a reviewer's concerns only the automatic imprecision rule applies.
    bare = doc.study("jelen-2025").model_copy(update={"grade": []})
    auto = certainty(doc, bare)
    assert auto.level == "moderate" and auto.short == ("imprecision",)


def test_clinician_table_has_the_harms_row_last_and_primary_outcomes(doc):
    rows = build_view(doc, "clinician").findings_table
    assert rows[-1]["safety"] and rows[-1]["outcome"] == "Dissociative effects"
    assert {"MRS", "MADRS", "CBF", "HAM-D"} <= {r["outcome"] for r in rows}


def _page(body: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main>"
            f"{body}</main></body></html>")


def test_a_vague_heading_or_a_long_list_is_not_one_chunk(doc):
    sections = "".join(f"<section data-section='s{i}'><h2>Part {i}</h2><p>Some words here."
                       "</p></section>" for i in range(3))
    vague = sections + ("<section data-section='caveats'><h2>Please keep in mind</h2><ul>"
                        "<li>One.</li></ul></section>")
    assert _item(evaluate(doc, "patient", _page(vague)), "CDC", 9).status == "not met"
    long = sections + ("<section data-section='x'><h2>Side effects</h2><ul>"
                       + "<li>One idea.</li>" * 7 + "</ul></section>")
    assert _item(evaluate(doc, "patient", _page(long)), "CDC", 9).status == "not met"
    assert _item(evaluate(doc, "patient", _page(sections)), "CDC", 9).status == "met"


def test_a_caption_must_name_what_was_studied_and_sit_in_its_section(doc):
    img = "<img src='data:image/svg+xml;base64,PHN2Zy8+' alt='Two visits'>"
    apart = f"<div class='visual'>{img}<p class='caption'>Left: first. Right: second.</p></div>"
    assert _item(evaluate(doc, "patient", _page(apart)), "PEMAT", 17).status == "not met"
    loose = f"<div class='visual'>{img}<p class='caption'>The ketamine drip, twice.</p></div>"
    assert _item(evaluate(doc, "patient", _page(loose)), "PEMAT", 17).status == "not met"
    inside = f"<section><h2>What was studied</h2>{loose}</section>"
    assert _item(evaluate(doc, "patient", _page(inside)), "PEMAT", 17).status == "met"


def test_terms_explained_where_used_leave_the_words_to_know_list(doc):
    assert defined_inline("naltrexone", "Naltrexone is a drug that blocks this system.")
    assert defined_inline("drip", "They gave it through a drip (a thin tube into a vein).")
    assert not defined_inline("ketamine", "Ketamine is not an opioid.")
    terms = {g.term for g in build_view(doc, "patient").glossary}
    assert "naltrexone" not in terms and "opioid system" not in terms
