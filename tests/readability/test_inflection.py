"""Plainer words that fit the sentence: every entry of rules/plain_words.yaml, in every form."""

from __future__ import annotations

import pytest

from explainer.readability.inflection import suggest, tags_of
from explainer.readability.plain_words import plain_word_notes, plain_words

# A word that commonly comes before each form, so the reading is the one we mean.
_CONTEXT = {"NN": "the", "NNS": "the", "VB": "to", "VBP": "they", "VBD": "they", "VBN": "was",
            "VBG": "is", "VBZ": "it", "JJ": "is", "RB": "it"}
_MARKED = ("NNS", "VBD", "VBN", "VBG", "VBZ")


def _uses() -> list[tuple[str, str, str, str]]:
    """(entry word, a form as it may be written, its tag, plain) for every entry and form."""
    import lemminflect

    from explainer.rules import load_rules

    uses = []
    for entry in load_rules("plain_words")["words"]:
        for form in dict.fromkeys([entry["word"], *entry.get("forms", [])]):
            if " " in form or "-" in form:
                uses.append((entry["word"], form, "", entry["plain"]))
                continue
            for tag, lemma in tags_of(form).items():
                upos = {"N": "NOUN", "V": "VERB", "J": "ADJ", "R": "ADV"}[tag[0]]
                table = lemminflect.getAllInflections(lemma, upos) or {tag: (form,)}
                for inflected_tag, words in table.items():
                    if inflected_tag in _MARKED:
                        marked = [w for w in words if w != lemma]  # not a mass noun's plural
                        if marked:
                            uses.append((entry["word"], marked[0], inflected_tag,
                                         entry["plain"]))
                    elif inflected_tag in _CONTEXT and words[0] == form:
                        uses.append((entry["word"], form, inflected_tag, entry["plain"]))
    return sorted(set(uses))


USES = _uses()


def test_every_entry_is_covered() -> None:
    covered = {word for word, *_ in USES}
    assert covered == {e.word for e in plain_words()}, {e.word for e in plain_words()} - covered
    assert len(USES) > 2 * len(covered)  # inflected forms, not just the headwords


@pytest.mark.parametrize(("word", "written", "tag", "plain"), USES,
                         ids=[f"{w}:{t or 'phrase'}" for _, w, t, _ in USES])
def test_each_form_gets_a_fitting_swap_or_a_hint(word: str, written: str, tag: str,
                                                 plain: str) -> None:
    advice = suggest(written, plain, _CONTEXT.get(tag, ""))
    alternatives = [a.strip() for a in plain.split(",")]
    assert advice.replacements or advice.hints, (written, plain)
    assert len(advice.replacements) + len(advice.hints) <= len(alternatives)
    for hint in advice.hints:
        assert hint in alternatives  # a hint is the rule's own words, not a broken form
    for swap in advice.replacements:
        words = swap.lower().split()
        if tag in _MARKED:
            # the swap carries the same number, tense and person: a word of it has the tag
            assert any(tag in tags_of(w) for w in words), (written, tag, swap)
        # and it is one of the rule's alternatives, inflected (maybe after a changed article)
        assert any(_same_words(words, a.lower().split()) or _same_words(words[1:],
                   a.lower().split()) for a in alternatives), (written, swap)


def _lemmas(word: str) -> set[str]:
    import lemminflect

    found = {word, *(x for lemmas in lemminflect.getAllLemmas(word).values() for x in lemmas)}
    return found | ({"person"} if word == "people" else set())


def _same_words(words: list[str], alternative: list[str]) -> bool:
    return len(words) == len(alternative) and all(
        _lemmas(a) & _lemmas(b) for a, b in zip(words, alternative, strict=True))


@pytest.mark.parametrize(
    ("written", "plain", "previous", "swap"),
    [
        ("outcomes", "result", "the", "results"),
        ("participants", "person taking part", "the", "people taking part"),
        ("demonstrated", "show", "we", "showed"),
        ("demonstrated", "show", "was", "shown"),
        ("administered", "give", "was", "given"),
        ("determines", "find out, decide", "it", "finds out"),
        ("Physicians", "doctor", "", "Doctors"),
        ("outcome", "result", "an", "a result"),
        ("adverse events", "side effect, harm", "", "side effects"),
        ("in order to", "to", "", "to"),
        ("cessation", "stopping", "", "stopping"),
        ("utilization", "use", "the", "use"),
    ],
)
def test_known_swaps(written: str, plain: str, previous: str, swap: str) -> None:
    assert suggest(written, plain, previous).replacements[0] == swap


@pytest.mark.parametrize(
    ("written", "plain", "previous"),
    [
        ("efficacious", "works", "is"),  # a verb cannot stand for an adjective
        ("intravenous", "into a vein", "the"),  # "the into a vein medicine"
        ("stakeholders", "the groups involved (name them)", "the"),  # an instruction
        ("titrated", "adjust the dose step by step", "was"),  # "was adjusted the dose"
        ("commencement", "begin", "the"),  # no noun "begin"
    ],
)
def test_ungrammatical_swaps_are_hints(written: str, plain: str, previous: str) -> None:
    advice = suggest(written, plain, previous)
    assert not advice.swap
    assert advice.hints == (plain,)
    assert "rephrase" in advice.describe()


def test_notes_carry_the_inflected_suggestion() -> None:
    notes = {n.found: n for n in plain_word_notes(["The outcomes were good for participants."])}
    assert notes["outcomes"].suggestion == "'results'"
    assert notes["participants"].suggestion == "'people taking part'"
