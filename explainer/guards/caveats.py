"""Which caveats a document must carry, and proof that they reached the reader.

The rules live in ``rules/caveat_rules.yaml``: each says which caveat ``kind`` the findings
data calls for (a preprint, a mental-health topic, a drug with misuse potential ...) and
for which audiences. Templates never decide this. After rendering, :func:`prove_present`
checks that each mandatory caveat's wording is in the text a reader actually sees.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..document.load import LoadedDocument
from ..document.model import (
    AUDIENCES,
    Audience,
    Caveat,
    Document,
)
from ..problems import Problem
from ..rules.schema_topic import CaveatRule, CaveatRules, When
from ..textnorm import fold

if TYPE_CHECKING:
    from ..seen.pdf import Seen

RULES_FILE = "caveat_rules"


@dataclass(frozen=True)
class Requirement:
    """One rule asking one audience for one caveat kind; ``caveat`` is None if the file has none."""

    rule: str
    kind: str
    caveat: Caveat | None
    source: str
    reason: str
    because: str


@cache
def load_caveat_rules() -> CaveatRules:
    from ..rules import rule_model

    return rule_model(RULES_FILE)  # validated: every condition has its condition_terms


# --- evaluating conditions -------------------------------------------------------------

def _has_word(text: str, word: str) -> bool:
    # "opioid" also matches "opioids", "opioidergic", "opioid-like"; a word start is enough.
    return _word_start((word,)).search(text) is not None


@lru_cache(maxsize=1024)  # keyed on the words: rule terms, drug and condition names
def _word_start(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` at a word start: one search stands for one per word."""
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, words))})", re.IGNORECASE)


def _topic_conditions(doc: Document) -> list[str]:
    return [*doc.subject.conditions, *(s.participants.condition for s in doc.studies), doc.title]


def _condition_groups(text: str, terms: dict[str, list[str]]) -> set[str]:
    return {group for group, words in terms.items()
            if words and _word_start(tuple(words)).search(text) is not None}


def _mention_text(doc: Document) -> str:
    parts = [doc.title, *(doc.background.for_(a) or "" for a in AUDIENCES)]
    for f in doc.findings:
        parts += [f.clinician, f.plain, f.press or ""]
    return "\n".join(parts)


def _drugs(doc: Document) -> list:
    """The drugs among the interventions: the drug_* tests are about medicines only."""
    return [i for i in doc.subject.all_interventions() if i.kind == "drug"]


def _off_label(doc: Document, terms: dict[str, list[str]]) -> list[str]:
    """'drug for condition' pairs where a drug is off-label for a condition of the topic."""
    topic = _topic_conditions(doc)
    topic_groups = set().union(*(_condition_groups(t, terms) for t in topic))
    hits = []
    for drug in _drugs(doc):
        for cond in drug.off_label_for:
            same_words = any(_has_word(t, cond) or _has_word(cond, t) for t in topic)
            if same_words or _condition_groups(cond, terms) & topic_groups:
                hits.append(f"{drug.name} is off-label for {cond}")
    return hits


Terms = dict[str, list[str]]


def _study_status(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    studies = [s for s in doc.studies if s.status in wanted]
    return ", ".join(f"study {s.id} is {s.status}" for s in studies) or None


def _condition(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    found = set().union(*(_condition_groups(t, terms) for t in _topic_conditions(doc)))
    matched = [c for c in wanted if c in found]
    return f"the topic concerns {', '.join(matched)}" if matched else None


def _drug_flag(flag: str, doc: Document, terms: Terms) -> str | None:
    drugs = [d.name for d in _drugs(doc) if getattr(d, flag)]
    return f"{', '.join(drugs)}: {flag} is true" if drugs else None


def _drug_lacks_flag(flag: str, doc: Document, terms: Terms) -> str | None:
    drugs = [d.name for d in _drugs(doc) if not getattr(d, flag)]
    return f"{', '.join(drugs)}: {flag} is false" if drugs else None


def _drug_off_label(wanted: bool, doc: Document, terms: Terms) -> str | None:
    pairs = _off_label(doc, terms)
    if bool(pairs) != wanted:
        return None
    return "; ".join(pairs) or "no drug is off-label here"


def _design(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    studies = [s for s in doc.studies if s.design in wanted]
    if not studies:
        return None
    designs = sorted({s.design for s in studies})
    return f"{', '.join(s.id for s in studies)}: design {', '.join(designs)}"


def _subjects(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    studies = [s.id for s in doc.studies if s.subjects in wanted]
    return f"{', '.join(studies)} studied {', '.join(wanted)}" if studies else None


def _finding_kind(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    found = [f.id for f in doc.findings if f.kind in wanted]
    return f"findings {', '.join(found)} are {'/'.join(wanted)}" if found else None


def _intervention_kind(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    kinds = {i.kind for i in doc.subject.all_interventions()}
    kinds |= {a.kind for s in doc.studies for a in (s.intervention, s.comparator)
              if a is not None and a.kind}
    matched = sorted(kinds & set(wanted))
    return f"an intervention is of kind {', '.join(matched)}" if matched else None


def _interim(wanted: bool, doc: Document, terms: Terms) -> str | None:
    studies = [s.id for s in doc.studies if s.interim == wanted]
    return f"{', '.join(studies)}: interim analysis" if studies else None


def _mentions(wanted: list[str], doc: Document, terms: Terms) -> str | None:
    text = _mention_text(doc)
    words = [w for w in wanted if _has_word(text, w)]
    return f"the text mentions {', '.join(repr(w) for w in words)}" if words else None


# One test per field of When, in the order the reasons are given; each says why it holds, or
# None when it does not. A field left out of the rule (None) is not tested.
_TESTS: dict[str, Callable[[Any, Document, Terms], str | None]] = {
    "study_status": _study_status,
    "condition": _condition,
    "drug_flag": _drug_flag,
    "drug_lacks_flag": _drug_lacks_flag,
    "drug_off_label_for_condition": _drug_off_label,
    "design": _design,
    "subjects": _subjects,
    "finding_kind": _finding_kind,
    "intervention_kind": _intervention_kind,
    "interim": _interim,
    "mentions": _mentions,
}


def _fires(rule: CaveatRule, doc: Document, terms: Terms) -> str | None:
    """Why the rule applies to this document (for messages), or None if it does not."""
    if rule.when == "always":
        return "it applies to every explainer"
    when = rule.when
    assert isinstance(when, When)
    reasons: list[str] = []
    for name, test in _TESTS.items():
        wanted = getattr(when, name)
        if wanted is None:
            continue
        reason = test(wanted, doc, terms)
        if reason is None:
            return None
        reasons.append(reason)
    return "; ".join(reasons)


def _pick(caveats: list[Caveat], audience: Audience) -> Caveat | None:
    """Of the caveats of one kind, the one meant for this audience."""
    for test in (lambda c: audience in c.mandatory_for, lambda c: bool(c.text.for_(audience))):
        for c in caveats:
            if test(c):
                return c
    return caveats[0] if caveats else None


_held = threading.local()


@contextmanager
def rules_fired_once(doc: Document) -> Iterator[None]:
    """While one document's outputs are built and proven (it does not change meanwhile),
    which caveat rules fire for it is worked out once, not at every proof (25 per topic)."""
    _held.fired = (doc, _fired(doc))
    try:
        yield
    finally:
        _held.fired = None


def _fired(doc: Document) -> list[tuple[CaveatRule, str]]:
    held = getattr(_held, "fired", None)
    if held is not None and held[0] is doc:
        return held[1]
    rules = load_caveat_rules()
    out = []
    for rule in rules.rules:
        because = _fires(rule, doc, rules.condition_terms)
        if because is not None:
            out.append((rule, because))
    return out


def required_caveats(doc: Document) -> dict[Audience, list[Requirement]]:
    """For each audience, the caveats the rules require, matched to the file's caveats."""
    result: dict[Audience, list[Requirement]] = {a: [] for a in AUDIENCES}
    for rule, because in _fired(doc):
        of_kind = [c for c in doc.caveats if c.kind == rule.kind]
        for audience in rule.audiences:
            result[audience].append(Requirement(rule.id, rule.kind, _pick(of_kind, audience),
                                                rule.source, rule.reason, because))
    return result


def mandatory_caveats(doc: Document, audience: Audience) -> list[Caveat]:
    """Rule-required caveats plus those the file marks mandatory, in file order."""
    wanted = {id(r.caveat) for r in required_caveats(doc)[audience] if r.caveat is not None}
    return [c for c in doc.caveats if audience in c.mandatory_for or id(c) in wanted]


def caveat_rule_problems(loaded: LoadedDocument) -> list[Problem]:
    """A fired rule with no caveat of its kind, or one not marked mandatory for its audiences."""
    doc, problems = loaded.doc, []
    for rule, because in _fired(doc):
        cite = f"(rule {rule.id}: {' '.join(rule.source.split())})"
        of_kind = [(i, c) for i, c in enumerate(doc.caveats) if c.kind == rule.kind]
        if not of_kind:
            # A caveat that looks right but lacks its kind is the usual cause: point at it.
            near = [(i, c) for i, c in enumerate(doc.caveats)
                    if c.kind is None and c.id == rule.kind]
            loc = ("caveats", near[0][0]) if near else ("caveats",)
            hint = f" (caveat {near[0][1].id!r} has no kind: set kind: {rule.kind})" if near else ""
            problems.append(loaded.problem(
                loc,
                f"needs a caveat with kind: {rule.kind} for {', '.join(rule.audiences)} "
                f"because {because}{hint}; {rule.reason} {cite}"))
        else:
            covered = {a for _, c in of_kind for a in c.mandatory_for}
            missing = [a for a in rule.audiences if a not in covered]
            first_i, first = of_kind[0]
            if missing:
                problems.append(loaded.problem(
                    ("caveats", first_i, "mandatory_for"),
                    f"caveat {first.id!r} (kind {rule.kind}) must be mandatory_for "
                    f"{', '.join(missing)} because {because} {cite}"))
        for key in rule.needs_entries:
            if not getattr(doc, key):
                loc = ("caveats", of_kind[0][0]) if of_kind else (key,)
                problems.append(loaded.problem(
                    loc, f"needs at least one entry under {key}: because {because} {cite}"))
    problems += _near_miss_kinds(loaded)
    return problems


def _near_miss_kinds(loaded: LoadedDocument) -> list[Problem]:
    """A kind one typo away from a rule's kind: a rule looking for it would not find it.
    Other custom kinds (small-sample, side-effects, ...) are fine and pass silently."""
    known = sorted({r.kind for r in load_caveat_rules().rules})
    problems = []
    for i, caveat in enumerate(loaded.doc.caveats):
        if caveat.kind is None or caveat.kind in known:
            continue
        guess = difflib.get_close_matches(caveat.kind, known, n=1, cutoff=0.8)
        if guess:
            problems.append(loaded.problem(
                ("caveats", i, "kind"),
                f"kind {caveat.kind!r} is not one the caveat rules know; did you mean "
                f"{guess[0]!r}?", level="warning"))
    return problems


# --- proof of presence -------------------------------------------------------------------

def comparable_words(text: str) -> list[str]:
    """Comparable words of a text, ignoring case, quote marks, dashes and layout.

    Typography is folded as everywhere (:func:`explainer.textnorm.fold`; a soft hyphen at a
    line end joins the word across it). Text read back from a PDF also splits words at line
    ends with a hyphen ("opi-\\nate"); those are joined. A hyphen inside a word is dropped on
    both sides, so "self-\\nharm" (PDF) and "self-harm" (source) compare equal. En and em
    dashes stay word breaks: a PDF line may break before an em dash as well as after it.
    """
    text = fold(unicodedata.normalize("NFKC", text), dashes=False)
    if _LINE_END_HYPHEN.search(text):  # a quick scan first: the pattern has no literal start
        text = _HYPHENATED_LINE_END.sub(r"\1\2", text)
    text = _HYPHEN_IN_WORD.sub("", text)
    return _WORD.findall(text.casefold())


_HYPHENATED_LINE_END = re.compile(r"(\w)-[ \t]*\r?\n\s*(\w)")
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n")  # in every match of the pattern above
_HYPHEN_IN_WORD = re.compile(r"-(?<=\w-)(?=\w)")  # (?<=\w)-(?=\w), starting at the hyphen
_WORD = re.compile(r"\w+")


def _found(haystack: str, needle: list[str]) -> bool:
    return f" {' '.join(needle)} " in haystack


def prove_present(doc: Document, audience: Audience, visible_text: str,
                  output: str) -> list[Problem]:
    """Each mandatory caveat's wording for ``audience`` must be in the visible text."""
    haystack = f" {' '.join(comparable_words(visible_text))} "
    problems = []
    for caveat in mandatory_caveats(doc, audience):
        wording = caveat.text.for_(audience)
        if not wording:
            problems.append(Problem(output, None, f"caveat:{caveat.id}",
                                    f"mandatory caveat {caveat.id!r} has no {audience} wording"))
            continue
        needle = comparable_words(wording)
        if _found(haystack, needle):
            continue
        # Say how far the wording matched, so an editor can see where the output differs.
        k = next((k for k in range(len(needle) - 1, 0, -1) if _found(haystack, needle[:k])), 0)
        where = (f"; the first {k} of {len(needle)} words are there, then it differs at "
                 f"“{' '.join(needle[k:k + 6])}”") if k else ""
        problems.append(Problem(
            output, None, f"caveat:{caveat.id}",
            f"mandatory caveat {caveat.id!r} for {audience} is not in the visible text "
            f"(“{' '.join(wording.split()[:12])}…”){where}"))
    for req in required_caveats(doc)[audience]:
        if req.caveat is None:
            problems.append(Problem(
                output, None, f"caveat-rule:{req.rule}",
                f"rule {req.rule} requires a {req.kind} caveat for {audience}, "
                f"but the findings file has none"))
    return problems


def _with_reasons(problems: list[Problem], doc: Document, audience: Audience,
                  hidden: Iterable[tuple[str, str]], medium: str) -> list[Problem]:
    """Caveat problems reworded for ``medium``, with why the text that carries the caveat
    cannot be seen (``hidden``: text left out, and why)."""
    unseen = [(f" {' '.join(w)} ", why) for text, why in hidden if (w := comparable_words(text))]
    by_id = {c.id: c for c in doc.caveats}
    out = []
    for problem in problems:
        caveat = by_id.get(problem.key.removeprefix("caveat:"))
        wording = caveat.text.for_(audience) if caveat is not None else None
        if wording and problem.key.startswith("caveat:"):
            needle = f" {' '.join(comparable_words(wording))} "
            whys = list(dict.fromkeys(why for words, why in unseen if words in needle))
            because = f"; it is there but cannot be seen: {'; '.join(whys[:3])}" if whys else ""
            problem = Problem(problem.file, problem.line, problem.key,
                              problem.message.replace("is not in the visible text",
                                                      f"is not visible {medium}") + because,
                              problem.level)
        out.append(problem)
    return out


def prove_seen(doc: Document, audience: Audience, seen: Seen, output: str) -> list[Problem]:
    """Each mandatory caveat must be in the text a person can see on the laid-out pages
    (:mod:`explainer.seen.pdf`); a failure says why the boxes that carry it cannot be seen."""
    problems = prove_present(doc, audience, seen.text, output)
    if seen.font_faces:
        problems.append(_font_face_problem(output))
    return _with_reasons(problems, doc, audience, seen.hidden, "on the printed page")


def _font_face_problem(output: str) -> Problem:
    return Problem(output, None, "caveat-proof:font-face",
                   "the template brings its own font (@font-face); a font can draw blank or "
                   "other glyphs for a caveat's words, so the caveat proof refuses it: use the "
                   "built-in fonts")


def prove_visible_html(doc: Document, audience: Audience, html: str,
                       output: str) -> list[Problem]:
    """Each mandatory caveat must be in the text a browser shows legibly (on a screen of any
    size and in print; :mod:`explainer.seen.css` judges the page's own CSS), and nothing on
    the page may be drawn over it."""
    from ..seen.html import extract

    extracted = extract(html)
    problems = prove_present(doc, audience, extracted.legible_text(), output)
    if mandatory_caveats(doc, audience):
        if extracted.font_faces:
            problems.append(_font_face_problem(output))
        problems += [Problem(output, None, "caveat-proof:overlay",
                             f"{line}: it can be drawn over a caveat on screen, which the "
                             "caveat proof cannot rule out without a layout; keep boxes with a "
                             "fill in the normal flow") for line in extracted.overlays[:5]]
    return _with_reasons(problems, doc, audience, extracted.unseen, "on screen")
