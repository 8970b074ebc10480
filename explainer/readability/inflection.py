"""Plainer words that fit the sentence: a suggestion takes the number, tense and person of the
word it replaces ("outcomes" -> "results", "participants" -> "people taking part",
"demonstrated" -> "showed" or "shown"), and keeps its capital and the article before it
("an outcome" -> "a result").

Word forms come from lemminflect (its lemma and inflection tables, Penn Treebank tags). A
suggestion that cannot be made grammatical in place (a verb for a noun, "works" for
"efficacious", an instruction such as "name them") is a hint, not a swap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_UPOS_TAGS = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBN", "VBG", "VBZ", "VBP"),
    "ADJ": ("JJ", "JJR", "JJS"),
    "ADV": ("RB", "RBR", "RBS"),
}
_TAG_UPOS = {tag: upos for upos, tags in _UPOS_TAGS.items() for tag in tags}
# lemminflect lists the regular plural first; these are the ones a reader expects.
_PLURALS = {"person": "people", "child": "children", "man": "men", "woman": "women"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BEFORE_PARTICIPLE = _words("am is are was were be been being has have had having get gets got "
                            "gotten")
_NOUN_CONTEXT = _words(
    "the a an these those their our its his her your my some many more most few fewer of and or "
    "other such all any no each every several")
_VERB_CONTEXT = _words(
    "it he she they we you i who that which to can could may might must should will would "
    "not also often")
_DETERMINERS = _words("the a an your their his her its our my this that these those")
_PREPOSITIONS = _words("into through by of without with from in on for to at about under after")
# A phrase's head noun is its last word before one of these ("person taking part",
# "thoughts of suicide"), else its last word ("high blood pressure").
_AFTER_HEAD = re.compile(r"^(?:of|in|on|for|to|with|without|by|from|who|that|which|\w+ing)$")
_INSTRUCTION = re.compile(r"[()]|\bor the\b|\bname them\b|\bitself\b")


@dataclass(frozen=True)
class Suggestion:
    found: str  # as written in the text (with the article when that changes too)
    replacements: tuple[str, ...]  # grammatical in place: a swap
    hints: tuple[str, ...]  # alternatives that need rewording: shown as a hint

    @property
    def swap(self) -> bool:
        return bool(self.replacements)

    def describe(self) -> str:
        parts = []
        if self.replacements:
            parts.append("'" + "' or '".join(self.replacements) + "'")
        if self.hints:
            parts.append("rephrase with " + " or ".join(f"'{h}'" for h in self.hints))
        return "; ".join(parts)


@cache
def _lemminflect():
    import lemminflect

    return lemminflect


def tags_of(word: str) -> dict[str, str]:
    """Penn tag -> lemma for every reading of ``word`` (lower case)."""
    li = _lemminflect()
    word = word.lower()
    found: dict[str, str] = {}
    lemmas = li.getAllLemmas(word)
    if not lemmas:  # not in lemminflect's tables: guess the part of speech from the ending
        tag = _guess(word)
        if tag is None:
            return {}
        upos = _TAG_UPOS[tag]
        return {tag: (li.getAllLemmasOOV(word, upos).get(upos) or (word,))[0]}
    for upos, candidates in lemmas.items():
        for lemma in candidates:
            table = li.getAllInflections(lemma, upos) or li.getAllInflectionsOOV(lemma, upos)
            for tag, forms in table.items():
                if word in forms and tag in _TAG_UPOS:
                    found.setdefault(tag, lemma)
            if "VBD" in found and "VBN" not in table:
                found.setdefault("VBN", lemma)  # the table leaves out a participle like its past
            if upos in _UPOS_TAGS and lemma == word:
                found.setdefault(_UPOS_TAGS[upos][0], lemma)
    if "NN" in found and found.get("NNS") == word:
        del found["NNS"]  # "mortality", "utilization": a mass noun is singular
    for singular, plural in _PLURALS.items():
        if word == plural:
            found["NNS"] = singular
    return found


def inflect(word: str, tag: str) -> str | None:
    """``word`` (any form) in the form ``tag``, or None when it has no such form."""
    li = _lemminflect()
    upos = _TAG_UPOS.get(tag)
    if upos is None:
        return None
    lemmas = li.getAllLemmas(word.lower(), upos).get(upos) or (word.lower(),)
    lemma = lemmas[0]
    if tag == "NNS" and lemma in _PLURALS:
        return _PLURALS[lemma]
    table = li.getAllInflections(lemma, upos)
    if table and tag not in table and not (tag == "VBN" and "VBD" in table):
        return None  # "health" has no plural, "give" no noun plural: no such form
    forms = li.getInflection(lemma, tag)
    if tag == "VBN" and len(forms) > 1:  # "shown" rather than "showed"
        past = set(li.getInflection(lemma, "VBD"))
        forms = tuple(f for f in forms if f not in past) or forms
    if not forms:
        forms = li.getInflection(lemma, tag, inflect_oov=True)
    if tag == "NNS":
        forms = tuple(f for f in forms if f != lemma)  # "health": a mass noun has no plural
    return forms[0] if forms else None


def _head(words: list[str], tag: str) -> int:
    if _TAG_UPOS[tag] == "VERB":
        return 0
    for i, w in enumerate(words[1:], 1):
        if _AFTER_HEAD.match(w):
            return i - 1
    return len(words) - 1


_GUESSES = (("sis", "NN"), ("us", "NN"), ("ss", "NN"), ("ly", "RB"), ("ing", "VBG"),
            ("ed", "VBN"), ("ic", "JJ"), ("al", "JJ"), ("ous", "JJ"), ("ive", "JJ"),
            ("ary", "JJ"), ("ae", "NNS"), ("s", "NNS"))


def _guess(word: str) -> str | None:
    """A tag from the ending of a word lemminflect does not know ("idiopathic", "sequelae")."""
    return next((tag for end, tag in _GUESSES if word.endswith(end)), "NN" if word else None)


def _reading(found: str, previous: str) -> str | None:
    """The tag of ``found`` in its sentence, from its forms and the word before it."""
    last = found.split()[-1]
    tags = tags_of(last)
    if not tags:
        return None
    prev = previous.lower()
    if "VBD" in tags and "VBN" in tags:
        tags.pop("VBD" if prev in _BEFORE_PARTICIPLE else "VBN")
    nouns = [t for t in tags if _TAG_UPOS[t] == "NOUN"]
    verbs = [t for t in tags if _TAG_UPOS[t] == "VERB"]
    if nouns and verbs:
        if prev in _NOUN_CONTEXT:
            return nouns[0]
        if prev in _VERB_CONTEXT or prev in _BEFORE_PARTICIPLE:
            return verbs[0]
    order = ("NNS", "VBZ", "VBD", "VBN", "VBG", "JJ", "NN", "RB", "VB", "VBP", "JJR", "JJS",
             "RBR", "RBS")
    return min(tags, key=lambda t: order.index(t) if t in order else len(order))


def _fits(alternative: str, tag: str) -> str | None:
    """``alternative`` inflected to ``tag``, or None when it cannot take that place."""
    if _INSTRUCTION.search(alternative):
        return None
    words = alternative.split()
    upos = _TAG_UPOS[tag]
    if upos in ("ADJ", "ADV"):
        # Adjectives and adverbs do not inflect. A phrase fits ("without symptoms", "by mouth");
        # one word must be able to stand there: "kidney" (renal), "raised", but not "works".
        readings = tags_of(words[0])
        if len(words) > 1:
            # "the same" for "identical" fits; "into a vein" in place of "intravenous" before a
            # noun does not, so a phrase that opens with anything but an adjective is a hint.
            if upos == "ADV" or words[0] in ("the", "very", "more", "not") or (
                    "JJ" in readings and words[0] not in _PREPOSITIONS):
                return alternative
            return None
        allowed = {"JJ", "NN", "VBN", "VBG"} if upos == "ADJ" else {"RB"}
        if not readings or allowed & set(readings):
            return alternative
        return None
    if tag == "NNS" and any(w in ("that", "who", "which") for w in words):
        return None  # "something that causes cancer": the clause would need changing too
    i = _head(words, tag)
    if upos == "NOUN" and "-" in words[i] and "JJ" in tags_of(words[i].split("-")[0]):
        return None  # "long-term" is an adjective, whatever lemminflect says of "term"
    head_tags = tags_of(words[i])
    if tag == "NN" and "VBG" in head_tags and "NN" not in head_tags:
        return alternative  # a gerund is a noun: "cessation" -> "stopping"
    if not any(_TAG_UPOS[t] == upos for t in head_tags):
        return None  # a verb for a noun, or the other way round
    if upos == "NOUN" and any(_TAG_UPOS[t] == "VERB" for t in head_tags) \
            and inflect(words[i], "NNS") is None:
        return None  # "give" is a verb: lemminflect's noun "give" has not even a plural
    if tag == "NN":
        form: str | None = words[i]  # "thoughts of suicide" can stand for "suicidal ideation"
    elif tag in ("VB", "VBP"):
        form = words[i] if tag in head_tags or "VB" in head_tags else inflect(words[i], tag)
    else:
        form = inflect(words[i], tag)
    if not form:
        return None
    return " ".join([*words[:i], form, *words[i + 1:]])


def _article(word: str) -> str:
    w = word.lower()
    if w.startswith(("hour", "honest", "honour", "honor", "heir")):
        return "an"
    if w.startswith(("uni", "use", "usu", "eu", "one", "once", "ew")):
        return "a"
    return "an" if w[:1] in "aeiou" else "a"


def _case_like(model: str, text: str) -> str:
    if model.isupper() and len(model) > 1:
        return text.upper()
    if model[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def suggest(found: str, plain: str, previous: str = "") -> Suggestion:
    """How to put ``plain`` (comma-separated alternatives) in the place of ``found``, the word
    or phrase as written, after the word ``previous``."""
    alternatives = [a.strip() for a in plain.split(",") if a.strip()]
    words_found = found.split()
    tag = _reading(found, previous) if len(words_found) == 1 or tags_of(words_found[-1]) \
        else None
    if len(words_found) > 1 and tag is not None and _TAG_UPOS[tag] not in ("NOUN",):
        tag = None  # "in order to", "prior to": a fixed phrase, replaced as it stands
    swaps: list[str] = []
    hints: list[str] = []
    passive = tag == "VBN" and previous.lower() in _BEFORE_PARTICIPLE
    for alternative in alternatives:
        if passive and alternative.split()[1:2] and alternative.split()[1] in _DETERMINERS:
            hints.append(alternative)  # "was titrated" -> not "was adjusted the dose"
            continue
        fitted = alternative if tag is None and not _INSTRUCTION.search(alternative) \
            else _fits(alternative, tag) if tag is not None else None
        if fitted is None:
            hints.append(alternative)
        else:
            swaps.append(fitted)
    shown = found
    if previous.lower() in ("a", "an") and swaps:
        article = _article(swaps[0])
        if article != previous.lower() and tag in ("NN", "JJ", None):
            shown = f"{previous} {found}"
            swaps = [f"{_case_like(previous, _article(s))} {s}" for s in swaps]
    swaps = [_case_like(shown, s) for s in swaps]
    return Suggestion(shown, tuple(dict.fromkeys(swaps)), tuple(hints))
