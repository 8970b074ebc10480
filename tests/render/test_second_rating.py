"""Rules added after the second independent rating of the bundled outputs (December 2026):
the leaflet's picture says what to do with it (PEMAT-P item 25), and the press summary's
main part says what is and is not known about costs, funding and independent comment
(HealthNewsReview criteria 1 and 6), printing "not stated in the sources" when a field is
empty."""

from __future__ import annotations

import pytest
from conftest import BUNDLED

from explainer.document.load import load_document
from explainer.render.html import render_html
from explainer.render.view import NOT_STATED
from explainer.render.visual import patient_visual

SEED = BUNDLED


@pytest.fixture(scope="module")
def doc():
    return load_document(SEED).doc


def _without_study_in_actions(doc, study_id: str):
    """The document with every patient action message cut loose from ``study_id``."""
    km = doc.key_messages.patient
    ids = {f.id for f in doc.findings if f.study == study_id}
    messages = [m.model_copy(update={"rests_on": [r for r in m.rests_on if r not in ids]})
                if m.action else m for m in km.messages]
    assert all(m.rests_on for m in messages)
    patient = km.model_copy(update={"messages": messages})
    return doc.model_copy(update={"key_messages": doc.key_messages.model_copy(
        update={"patient": patient})})


def test_the_picture_caption_ends_with_the_action_that_rests_on_its_study(doc):
    # PEMAT-P item 25: the material says how to use the diagram to act. The picture sits with
    # the results, so the caption's last sentence ties the result to the reader's action.
    visual = patient_visual(doc)
    assert visual is not None
    assert visual.caption.startswith("Each person came twice.")
    what = visual.caption.split("What you can do: ", 1)
    assert len(what) == 2, visual.caption
    action = what[1]
    # The picture never says more than the text: the action is a key message's own sentence.
    said = " ".join(" ".join(m.text.split()) for m in doc.key_messages.patient.messages
                    if m.action)
    assert action[:1].islower() and (action[:1].upper() + action[1:]) in said
    assert "naltrexone" in action


def test_no_action_on_the_pictured_study_means_no_what_to_do_line(doc):
    loose = _without_study_in_actions(doc, "jelen-2025")
    visual = patient_visual(loose)
    assert visual is not None and "What you can do" not in visual.caption


def test_press_main_part_says_costs_funding_and_comment_before_the_appendix(doc):
    html = render_html(doc, "press")
    section = html.index('data-section="costs-funding"')
    assert section < html.index('data-section="notes"')
    part = html[section:html.index("</section>", section)]
    for word in ("Costs:", "Funding:", "Conflicts of interest:", "Independent comment:"):
        assert word in part
    # An empty field says so in the reader's words rather than printing nothing.
    bare = doc.model_copy(update={"editors": doc.editors.model_copy(
        update={"funding": None, "costs": None})})
    html = render_html(bare, "press")
    section = html.index('data-section="costs-funding"')
    part = html[section:html.index("</section>", section)]
    assert part.count(NOT_STATED) >= 2


def test_patients_see_and_colleagues_where_others_see_et_al(doc):
    # Fourth rating (December 2026): "et al." is Latin a patient may not know; the leaflet
    # names studies "and colleagues", while clinicians and the press keep the citation form.
    assert any("et al." in s.short_name for s in doc.studies)
    patient = render_html(doc, "patient")
    assert "et al." not in patient
    assert "Jelen and colleagues 2025" in patient
    assert "Jelen et al. 2025" in render_html(doc, "clinician")


def test_leaflet_main_box_is_headed_what_you_need_to_know_with_the_main_message_first(doc):
    # Fourth rating: the box holds more than the main message, so it is headed for all of
    # it, and the main message opens it, emphasised (CDC Clear Communication Index 1-3).
    html = render_html(doc, "patient")
    box = html[html.index('data-section="key-messages"'):]
    box = box[:box.index("</section>")]
    assert "What you need to know" in box
    first = doc.key_messages.patient.messages[0].text
    main = box.index('class="main-message"')
    assert box.index("The main message:", main) < box.index(" ".join(first.split()[:4]), main)
    assert main < box.index("<ul>")
