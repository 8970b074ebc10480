"""Source screening: spun copies, AI-generated explanations, preprints, disagreements.

The spin detector is tested on text we wrote and spun ourselves, not only on the seed copy, so a
pass means the detector generalises rather than remembers one document.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, NURSES, SHARED_SEEDS, SOURCES

from explainer.document.load import load_document
from explainer.sources.facts import extract_facts, people_counts, same_journal, words_to_int
from explainer.sources.screening import (
    FLAG_AT,
    function_word_deficit,
    prose_words,
    screen_document,
    screen_text,
    screening_rules,
)

CLEAN = sorted(SOURCES.glob("screen_clean_*.txt"))

# A toy spinner like the ones that make copies such as seed 001: it swaps lower-case whole words
# for "synonyms" and leaves capitalised words alone.
SPINNER = {
    "the": "nan", "in": "successful", "with": "pinch", "on": "connected", "at": "astatine",
    "as": "arsenic", "when": "erstwhile", "may": "whitethorn", "be": "beryllium", "or": "aliases",
    "can": "tin", "between": "betwixt", "about": "astir", "after": "aft", "some": "immoderate",
    "much": "overmuch", "know": "cognize", "brain": "encephalon", "using": "utilizing",
    "found": "recovered", "treatment": "curen", "low": "debased", "year": "twelvemonth",
    "depression": "slump",
}
# A spinner whose replacements the lexicon has never seen: only the statistic can catch it.
UNSEEN_SPINNER = {
    "the": "yon", "in": "amid", "with": "alongside", "on": "upon", "at": "toward", "as": "qua",
    "be": "exist", "or": "else", "can": "could", "when": "whilst", "may": "might", "for": "towards",
    "that": "yonder", "is": "exists", "by": "via", "from": "outta", "this": "said", "are": "exist",
    "of": "concerning", "to": "unto", "and": "plus", "a": "one", "an": "one", "not": "nay",
}


def spin(text: str, swaps: dict[str, str]) -> str:
    return re.sub(r"\b[a-z]+\b", lambda m: swaps.get(m.group(0), m.group(0)), text)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- rules -----------------------------------------------------------------------------------


def test_rule_files_load_and_every_rule_cites_a_source():
    r = screening_rules()
    assert len(r.swaps) >= 60
    assert all(s.reason and s.source for s in r.swaps)
    assert {m.kind for m in r.markers} == {"ai_generated", "preprint"}
    assert 0.25 < r.function_word_rate < 0.35  # ~30% of English running words


def test_lexicon_needs_context_for_common_words():
    clean = "The treatment was successful in most patients and they recovered quickly."
    spun = "Ketamine was given successful nan clinic, and they recovered that it works."
    assert screen_text(clean).spin.lexicon_hits == 0
    assert screen_text(spun).spin.lexicon_hits == 3  # successful->in, nan->the, recovered->found


# --- spin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_own_clean_texts_are_not_spun(path):
    screen = screen_text(_read(path), path.name)
    assert screen.spin.lexicon_hits == 0
    assert screen.spin_score < FLAG_AT
    assert screen.flag("spun") is None


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_own_texts_spun_by_the_toy_spinner_are_flagged(path):
    clean = screen_text(_read(path))
    spun = screen_text(spin(_read(path), SPINNER))
    assert spun.spin_score >= FLAG_AT
    flag = spun.flag("spun")
    assert flag is not None and flag.evidence
    assert any("nan->the" in e.note for e in flag.evidence)
    # The statistic moves too, independently of the lexicon: function words went missing.
    assert spun.spin.function_word_deficit > clean.spin.function_word_deficit + 0.1


def test_stored_spun_fixture_is_the_spinners_output():
    original = _read(SOURCES / "screen_clean_news.txt")
    assert _read(SOURCES / "screen_spun_news.txt") == spin(original, SPINNER)
    assert screen_text(_read(SOURCES / "screen_spun_news.txt")).flag("spun") is not None


def test_statistic_alone_catches_a_spinner_the_lexicon_does_not_know():
    original = _read(SOURCES / "screen_clean_news.txt")
    spun = screen_text(spin(original, UNSEEN_SPINNER))
    assert spun.spin.lexicon_hits == 0
    assert spun.spin.lexicon_score == 0
    assert spun.spin.function_word_deficit > 0.7
    assert spun.spin.statistic_score == 1.0
    assert spun.flag("spun") is not None
    assert screen_text(original).spin.statistic_score == 0


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_statistic_rises_for_a_light_spin_with_unseen_words(path):
    # Only the swaps a seed-001-like spinner makes to function words, with unseen replacements:
    # the statistic must move clearly even where it is not enough to flag on its own.
    light = {k: UNSEEN_SPINNER[k]
             for k in ("the", "in", "with", "on", "at", "as", "be", "or", "when", "may", "can")}
    before = screen_text(_read(path)).spin
    after = screen_text(spin(_read(path), light)).spin
    assert after.lexicon_hits == 0
    assert after.function_word_deficit > before.function_word_deficit + 0.2


def test_statistic_ignores_acronyms_and_short_texts():
    assert prose_words("CBF rose in MDD (r=0.56) and I was a bit surprised") == [
        "rose", "in", "and", "i", "was", "a", "bit", "surprised"]
    short = "Blood flow rose sharply during infusion in three regions"
    assert screen_text(short).spin.statistic_score == 0  # too few words to judge


def test_function_word_deficit_is_zero_for_ordinary_prose():
    words = prose_words(_read(SOURCES / "screen_clean_news.txt"))
    rate, deficit = function_word_deficit(words)
    assert rate > 0.28
    assert deficit < 0.1


# --- AI and preprint markers -----------------------------------------------------------------


def test_ai_generated_and_preprint_markers_with_evidence_lines():
    screen = screen_text(_read(SOURCES / "screen_ai_preprint.txt"))
    ai, pre = screen.flag("ai_generated"), screen.flag("preprint")
    assert ai is not None and pre is not None
    assert ai.evidence[0].line == 1 and "AI-generated" in ai.evidence[0].text
    assert any("inbox" in e.text for e in ai.evidence)
    assert any("medRxiv" in e.text for e in pre.evidence)
    assert screen.flag("spun") is None


def test_a_lone_health_disclaimer_does_not_flag():
    text = "The trial was small. This summary is for information only and is not medical advice."
    screen = screen_text(text)
    assert 0 < screen.ai_score < FLAG_AT
    assert not screen.flagged


def test_human_news_about_a_preprint_is_flagged_preprint_only():
    screen = screen_text(_read(SOURCES / "screen_preprint_news.txt"))
    assert [f.kind for f in screen.flags] == ["preprint"]


def test_article_about_ai_images_is_not_called_ai_generated():
    text = ("Researchers asked radiologists to tell real scans from AI-generated images. "
            "They were right about half the time, the study found.")
    assert not screen_text(text).flagged


# --- facts -----------------------------------------------------------------------------------


def test_number_words_and_journal_abbreviations():
    assert words_to_int("Twenty-six") == 26
    assert words_to_int("twelve") == 12
    assert words_to_int("2 310") == 2310
    assert words_to_int("many") is None
    assert same_journal("Am J Psychiatry", "The American Journal of Psychiatry")
    assert same_journal("Nat Med", "Nature Medicine")
    assert not same_journal("JAMA", "JAMA Psychiatry")
    assert not same_journal("Nature Medicine", "Life Metabolism")


def test_extract_facts_from_own_texts():
    facts = extract_facts(_read(SOURCES / "screen_nurses_summary.txt"))
    got = {(f.field, f.value) for f in facts}
    assert {("n", "48"), ("journal", "J Sleep Res"), ("year", "2024"),
            ("status", "peer_reviewed")} <= got
    ai = {(f.field, f.value) for f in extract_facts(_read(SOURCES / "screen_nurses_ai.txt"))}
    assert {("n", "46"), ("status", "preprint")} <= ai
    other = extract_facts("Published in The Lancet, the study of n = 1,204 people and "
                          "more than 1 million women was led by Smith et al. (2019).")
    assert {(f.field, f.value) for f in other} >= {("journal", "Lancet"), ("n", "1204"),
                                                   ("year", "2019")}
    assert ("n", "1") not in {(f.field, f.value) for f in other}


def test_people_counts_say_why_a_count_is_not_the_sample_size():
    # Only the one count a sentence ties to the study is compared across sources; the others
    # keep their role, so the draft can read arm sizes and rounded totals without a false alarm.
    text = ("The trial enrolled 900 adults. It enrolled more than 900 adults. "
            "They were assigned to tea (n = 450) or water (n = 450 ) and 30 patients left. "
            "About 5,000 people die of it each year. We met 12 nurses.")
    roles = [(c.value, c.role) for c in people_counts(text)]
    assert roles == [(900, "sample"), (900, "bound"), (450, "group"), (450, "group"),
                     (30, "group"), (5000, "population"), (12, "untied")]
    assert [f.value for f in extract_facts(text) if f.field == "n"] == ["900"]


# --- a findings file -------------------------------------------------------------------------



def test_screen_document_reports_flags_disagreements_and_flagged_only_evidence():
    loaded = load_document(NURSES)
    report = screen_document(loaded)
    assert report.screens["ai"].flag("ai_generated") is not None
    assert report.screens["copy"].flag("spun") is not None
    assert not report.screens["news"].flagged

    by_field = {d.field: d for d in report.disagreements}
    assert by_field["status"].known  # declared as "peer-review status"
    assert {sf.fact.value for sf in by_field["status"].facts} == {"peer_reviewed", "preprint"}
    assert not by_field["n"].known
    assert "journal" not in by_field and "year" not in by_field  # abbreviation matches the file

    text = [str(p) for p in report.problems]
    n_warning = [p for p in report.problems if p.key == "studies[0].participants.n"]
    assert len(n_warning) == 1 and n_warning[0].level == "warning"
    assert "screen_nurses_ai.txt" in n_warning[0].message and "46" in n_warning[0].message

    errors = {p.key: p for p in report.problems if p.level == "error"}
    assert set(errors) == {"findings[1].evidence", "caveats[0].evidence"}, text
    line_of_evidence = loaded.line_of(("findings", 1, "evidence"))
    assert errors["findings[1].evidence"].line == line_of_evidence
    assert "accepted:" in errors["findings[1].evidence"].message
    assert "needs a reason" in errors["caveats[0].evidence"].message


def test_undeclared_status_conflict_is_a_warning_at_the_status_line(tmp_path):
    data = yaml.safe_load(NURSES.read_text(encoding="utf-8"))
    data["disagreements"] = []
    data["sources_dir"] = str(SOURCES)
    path = tmp_path / "nurses.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_document(path)
    problems = screen_document(loaded).problems
    status = [p for p in problems if p.key == "studies[0].status"]
    assert len(status) == 1 and status[0].level == "warning"
    assert status[0].line == loaded.line_of(("studies", 0, "status"))
    assert "preprint" in status[0].message and "peer_reviewed" in status[0].message


def test_source_kind_that_contradicts_the_screen_is_a_warning(tmp_path):
    data = yaml.safe_load(NURSES.read_text(encoding="utf-8"))
    data["sources"][3]["kind"] = "news"  # the spun copy
    data["sources_dir"] = str(SOURCES)
    path = tmp_path / "nurses.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    problems = screen_document(load_document(path)).problems
    kinds = [p for p in problems if p.key == "sources[3].kind"]
    assert len(kinds) == 1 and kinds[0].level == "warning" and "spun" in kinds[0].message


# --- the bundled example and the real seed texts ---------------------------------------------

SEEDS_PRESENT = pytest.mark.needs(SHARED_SEEDS)


@SEEDS_PRESENT
def test_seed_texts_only_001_is_spun_and_004_is_ai_and_preprint():
    screens = {p.name[:3]: screen_text(_read(p), p.name)
               for p in sorted(SHARED_SEEDS.glob("*.txt"))}
    assert set(screens) >= {"000", "001", "002", "003", "004"}
    assert screens["001"].spin_score >= FLAG_AT and screens["001"].flag("spun")
    for name in ("000", "002", "003", "004"):
        assert screens[name].spin_score < FLAG_AT, (name, screens[name].spin)
    assert [f.kind for f in screens["004"].flags] == ["ai_generated", "preprint"]
    for name in ("000", "001", "002", "003"):
        assert screens[name].ai_score < FLAG_AT and screens[name].preprint_score < FLAG_AT


@SEEDS_PRESENT
def test_bundled_example_reports_the_blood_flow_status_conflict(tmp_path):
    report = screen_document(load_document(BUNDLED), SHARED_SEEDS)
    status = [d for d in report.disagreements if d.field == "status" and d.between == "sources"]
    assert len(status) == 1
    files = {sf.file[:3]: sf.fact.value for sf in status[0].facts}
    assert files == {"003": "peer_reviewed", "004": "preprint"}
    assert status[0].known  # the bundled file declares it (and marks the study disputed)

    # Without the declaration and with the status asserted, it becomes a warning.
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    study = next(s for s in data["studies"] if s["id"] == status[0].study)
    study["status"] = "peer_reviewed"
    data["disagreements"] = [d for d in data.get("disagreements", [])
                             if d["study"] != study["id"]]
    copy = tmp_path / "bundled.yaml"
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    problems = screen_document(load_document(copy), SHARED_SEEDS).problems
    assert any(p.key.endswith(".status") and "003_" in p.message and "004_" in p.message
               and p.level == "warning" for p in problems)


@SEEDS_PRESENT
def test_bundled_example_has_no_unaccepted_flagged_only_evidence():
    report = screen_document(load_document(BUNDLED), SHARED_SEEDS)
    assert report.screens and all(sid in report.screens for sid in report.files)
    assert [str(p) for p in report.problems if p.level == "error"] == []


def test_screening_skips_sources_whose_files_are_missing(tmp_path):
    shutil.copy(NURSES, tmp_path / "nurses.yaml")  # sources_dir ../sources does not exist here
    report = screen_document(load_document(tmp_path / "nurses.yaml"))
    assert report.screens == {} and report.problems == []


def _every_swap_scanned(text: str) -> list[tuple[str, tuple[int, int]]]:
    from explainer.sources.screening import screening_rules

    return [(s.spun, m.span()) for s in screening_rules().swaps for m in s.pattern.finditer(text)]


def test_swaps_found_through_their_literals_are_every_swap_scanned():
    from explainer.sources.screening import screening_rules, swap_hits

    texts = [_read(p) for p in sorted(SOURCES.glob("*.txt"))]
    texts += [_read(p) for p in sorted(SHARED_SEEDS.glob("*.txt"))]
    # Every spun word, in capitals, with the Turkish I, the long s and the Kelvin sign.
    words = " ".join(f"{s.spun} the {s.spun.upper()} in" for s in screening_rules().swaps)
    texts += [words, words.replace("i", "\u0130").replace("s", "\u017f").replace("k", "\u212a"),
              words.replace("i", "\u0131")]
    assert sum(len(_every_swap_scanned(t)) for t in texts) > 100
    for text in texts:
        assert [(s.spun, m.span()) for s, m in swap_hits(text)] == _every_swap_scanned(text)


def test_folding_keeps_every_character_ignorecase_matches_to_an_ascii_letter():
    import string
    import sys

    from explainer.sources.screening import _folded

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for letter in string.ascii_lowercase:
        for m in re.finditer(letter, every, re.IGNORECASE):
            assert letter in _folded(m.group()), hex(ord(m.group()))
