"""The claim guard's prefilters skip only scans that cannot match: same hits, less work."""

from __future__ import annotations

import re
import string

import pytest
from conftest import BUNDLED, GUARD_OK

from explainer.document.load import load_document
from explainer.guards.claims import _compiled, _DrugKey, load_claim_rules, prose_fields
from explainer.guards.prefilter import ASCII_TWINS, lowered, prefilter
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
