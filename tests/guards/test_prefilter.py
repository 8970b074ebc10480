"""The claim guard's prefilters skip only scans that cannot match: same hits, less work."""

from __future__ import annotations

import re
import string

import pytest
from conftest import BUNDLED, GUARD_OK, SEEDS_MORE, SHARED_SEEDS

from explainer.document.load import load_document
from explainer.guards.claims import _compiled, _DrugKey, load_claim_rules, prose_fields
from explainer.guards.prefilter import ASCII_TWINS, cached_prefilter, lowered, prefilter
from explainer.readability.sentences import split_sentences
from explainer.textnorm import fold


def might_match(needs: tuple[re.Pattern[str], ...], text: str) -> bool:
    return all(words.search(lowered(text)) for words in needs)


def test_ascii_twins_are_every_character_ignorecase_takes_for_ascii():
    everything = "".join(chr(i) for i in range(0x80, 0x110000) if not 0xD800 <= i < 0xE000)
    twins = {}
    for a in string.printable:
        for c in re.findall(re.escape(a), everything, re.IGNORECASE):
            twins[ord(c)] = a.lower()
    assert twins == ASCII_TWINS


def test_a_pattern_is_skipped_only_without_its_words():
    pattern = re.compile(r"\b(?:stop|skip)\s+your\s+pills?\b", re.IGNORECASE)
    needs = prefilter(pattern)
    assert len(needs) == 3  # pill, your, (s)top|(s)kip: each of them must be there
    assert not might_match(needs, "Stop taking your medicine.")
    assert not might_match(needs, "Your pills.")
    assert might_match(needs, "STOP YOUR PILLS")
    twins = "\u017fkip your p\u0131lls"  # the long s and the dotless i: still a match
    assert pattern.search(twins) and might_match(needs, twins)


@pytest.mark.parametrize("pattern", [r"\w+\s+\d", r"(?:abc|)\d+", r"x?yz", r"(?:abcd)*"])
def test_no_prefilter_where_no_literal_is_required(pattern):
    assert prefilter(re.compile(pattern, re.IGNORECASE)) == ()


def _sentences() -> list[str]:
    texts = [s for r in load_claim_rules().rules for s in (*r.examples.bad, *r.examples.good)]
    for path in (BUNDLED, GUARD_OK):
        texts += [t for _, t, _ in prose_fields(load_document(path).doc)]
    return [fold(s) for t in texts for s in split_sentences(t)]


def test_no_rule_pattern_is_skipped_where_it_matches():
    sentences = _sentences()
    key = _DrugKey.of(load_document(BUNDLED).doc)
    checked = 0
    for c in (*_compiled(key), *_compiled(_DrugKey.examples())):
        for pattern, needs in zip(c.patterns, c.prefilters, strict=True):
            for s in sentences:
                if pattern.search(s):
                    assert might_match(needs, s), (c.rule.id, s)
                    assert c.gate is None or c.gate.search(lowered(s)), (c.rule.id, s)
                    checked += 1
    assert checked > 50  # the rules' bad examples match, so this tested something


def test_no_source_marker_is_skipped_where_it_matches():
    from explainer.rules import rule_model
    from explainer.sources.screening import screening_rules

    data = rule_model("source_markers")
    texts = [s for m in (*data.ai_generated, *data.preprint)
             for s in (*m.examples.match, *m.examples.no_match)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED_SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS_MORE.glob("*/*.txt"))]
    checked = 0
    for marker in screening_rules().markers:
        needs = cached_prefilter(marker.pattern)
        for text in texts:
            if marker.pattern.search(text):
                assert might_match(needs, text), (marker.id, text[:80])
                checked += 1
    assert checked >= len(screening_rules().markers)  # every marker's own examples match
