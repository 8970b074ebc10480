"""Scores, agreement with textstat, scores of what a reader sees, and the diagnosis."""

from __future__ import annotations

import sys

import pytest
from conftest import BENCH

from explainer.readability.diagnosis import SentenceRule, diagnose, score_sentence
from explainer.readability.formulas import score_text
from explainer.readability.scoring import score_html

PROSE = (
    "Ketamine is an anaesthetic that has been used in hospitals for decades. In this study, "
    "researchers gave a low dose of ketamine to people whose depression had not improved after "
    "trying at least two antidepressants. Participants were randomised to ketamine or to "
    "midazolam, an active placebo. The team said the results were encouraging but that larger "
    "trials are needed before doctors change their practice."
)


def test_published_formulas_on_a_hand_counted_sentence() -> None:
    s = score_text("The cat sat on the mat.")  # 6 words, 1 sentence, 6 syllables
    assert (s.words, s.sentences, s.syllables, s.polysyllables) == (6, 1, 6, 0)
    assert s.flesch_kincaid_grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)
    assert s.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    assert s.smog == pytest.approx(3.1291)


def test_empty_text_scores_zero() -> None:
    s = score_text("  \n ")
    assert s.words == 0 and s.flesch_kincaid_grade == 0.0


def test_agrees_with_textstat_on_plain_prose() -> None:
    """Same words, sentences and syllables as textstat (given our CMU data), so the same scores;
    Coleman-Liau and ARI differ only by the documented choices of the published formulas."""
    sys.path.insert(0, str(BENCH))
    from textstat_offline import install_into_textstat

    install_into_textstat()
    import textstat
    from textstat.backend.counts import _count_chars, _count_letters, _count_words

    ours = score_text(PROSE)
    assert ours.words == textstat.lexicon_count(PROSE)
    assert ours.sentences == textstat.sentence_count(PROSE)
    assert ours.syllables == textstat.syllable_count(PROSE)
    assert ours.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(PROSE))
    assert ours.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(PROSE))
    assert ours.smog == pytest.approx(textstat.smog_index(PROSE))
    assert ours.gunning_fog == pytest.approx(textstat.gunning_fog(PROSE))
    assert ours.dale_chall == pytest.approx(textstat.dale_chall_readability_score(PROSE))
    words = _count_words.count_words(PROSE)
    letters = _count_letters.count_letters(PROSE)
    # Coleman & Liau's 0.0588 where textstat has 0.058
    assert ours.coleman_liau == pytest.approx(
        textstat.coleman_liau_index(PROSE) + 0.0008 * 100 * letters / words)
    # ARI counts letters and digits per word; textstat counts punctuation too
    chars = _count_chars.count_chars(PROSE, ignore_spaces=True)
    tokens = _count_words.count_words(PROSE, rm_punctuation=False)
    assert ours.ari == pytest.approx(
        textstat.automated_readability_index(PROSE) + 4.71 * (letters / words - chars / tokens))


def test_abbreviations_and_decimals_do_not_add_sentences() -> None:
    s = score_text("Dr. Jelen gave 0.5 mg/kg, i.e. a low dose, to 26 people.")
    assert s.sentences == 1


SECTIONED = """<!doctype html><html><head><title>T</title></head><body>
<nav><a href="#a">Skip to the findings of this extraordinarily complicated investigation</a></nav>
<section data-section="why"><h2>Why researchers investigated pharmacological interventions</h2>
<p>Ketamine can ease low mood fast. Doctors want to know how it works.</p></section>
<section data-section="found"><h2>What they found</h2>
<p>It helped most people. The effect lasted a few days.</p></section>
{extra}
</body></html>"""


def test_headings_nav_and_apart_parts_do_not_change_the_body_score() -> None:
    bare = score_html(SECTIONED.format(extra=""))
    extra = ('<section data-section="sources" data-score="apart" data-apart="sources"><h2>Sources'
             '</h2><ol><li>Jelen LA, Young AH, Stone JM. Opioid receptor antagonism attenuates '
             'antidepressant responses to ketamine. Biological Psychiatry. 2025.</li></ol>'
             '</section>'
             '<footer data-score="apart" data-apart="footer">Generated automatically by '
             'explainer from structured findings documentation.</footer>')
    full = score_html(SECTIONED.format(extra=extra))
    assert full.body == bare.body
    assert bare.body.words == 23 and bare.body.sentences == 4
    assert set(full.apart) >= {"headings", "nav", "sources", "footer"}
    assert full.apart["sources"].words > 10
    assert [s.id for s in full.sections] == ["why", "found"]
    assert full.sections[0].scores.words == 13


def test_body_score_is_the_sum_of_its_sections() -> None:
    doc = score_html(SECTIONED.format(extra=""))
    whole = score_text("Ketamine can ease low mood fast. Doctors want to know how it works. "
                       "It helped most people. The effect lasted a few days.")
    assert doc.body == whole


def test_patient_target_misses_are_reported() -> None:
    hard = ("<section data-section='s'><p>" + PROSE + "</p></section>")
    doc = score_html(hard, "patient")
    assert {m.metric for m in doc.misses} == {"fk", "smog"}
    assert score_html(hard, "clinician").misses == []


def test_sentence_levels() -> None:
    rule = SentenceRule(hard=9, very_hard=12, min_words=8)
    easy = score_sentence("The dog ran to the park and back again today.", rule)
    very = score_sentence("Participants demonstrated considerably improved neuropsychological "
                          "functioning following administration of intravenous ketamine.", rule)
    short = score_sentence("Neuropsychological assessment.", rule)
    assert easy.level == "ok"
    assert very.level == "very_hard" and very.grade >= 12
    assert short.level == "ok"  # too short to mark, whatever its grade


def test_diagnosis_finds_what_to_fix() -> None:
    text = (
        "Ketamine was given to 26 people. "
        "In order to measure depression, the researchers utilised questionnaires. "
        "The antidepressants had been taken for many weeks by the participants before the trial "
        "began, and most of them had tried at least two different medicines without any benefit "
        "at all. "
        "We ate lunch. "
        "Dissociation and hallucinations were common."
    )
    d = diagnose(text, glossary_terms={"Antidepressant", "questionnaire"})
    assert [s.grade for s in d.hardest] == sorted((s.grade for s in d.hardest), reverse=True)
    assert len(d.long_sentences) == 1 and d.long_sentences[0].words > 25
    words = {w.word for w in d.unexplained_words}
    assert {"dissociation", "hallucinations", "participants"} <= words
    assert not words & {"antidepressants", "questionnaires"}  # in the glossary, as singular
    assert "ketamine" in words
    assert "medicine" not in words  # familiar (Dale-Chall list)
    phrases = {p.phrase for p in d.passive}
    assert {"was given", "been taken"} <= phrases
    assert not any("ate" in p.phrase for p in d.passive)
    plain = {p.found.lower(): p.plain for p in d.plain_words}
    assert plain["in order to"] == "to"
    assert plain["utilised"] == "use"
    assert "dissociation" in plain
