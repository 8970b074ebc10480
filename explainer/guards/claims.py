"""Claim guard: flag wording the evidence does not support.

The rules are data (``rules/claims.yaml``), one small check per rule in the manner of
proselint and Vale, each with its source, a one-line reason, a fix and its own bad/good
examples. This module only compiles and applies them:

* ``existence`` and ``pattern`` rules run on every sentence;
* ``causal_on_correlational`` rules run only on sentences about a correlational finding;
* a negator earlier in the same clause ("is not a cure", "does not prove") quiets a rule;
* quoted speech (the document's ``quotes:``) is attributed, so only hype is reported
  there, and only as a warning.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from ..document.load import LoadedDocument, Loc
from ..document.model import AUDIENCES, Audience, Document, Finding
from ..document.prose import FINDING_KEYS, prose
from ..problems import Problem
from ..readability.sentences import split_sentences
from ..rules.schema_guards import ClaimLevel as Level
from ..rules.schema_guards import ClaimRule, ClaimRules, Vocab
from ..textnorm import fold
from .caveats import comparable_words
from .kept_words import KeptWords, kept_words
from .prefilter import lowered, required_words, words_regex

RULES_FILE = "claims"


@dataclass(frozen=True)
class ClaimHit:
    rule: str
    level: Level
    sentence: str
    matched: str
    reason: str
    fix: str
    source: str
    quoted: bool = False


@cache
def load_claim_rules() -> ClaimRules:
    from ..rules import rule_model

    rules: ClaimRules = rule_model(RULES_FILE)  # validated: unique ids, matchers present
    try:  # fail at load on a bad regex, not mid-build (one a drug fills in: at its first fill)
        _check_drug_free(rules)
    except _PatternError as exc:
        raise _input_error(rules, exc) from None
    return rules


def _input_error(rules: ClaimRules, exc: _PatternError) -> Exception:
    """The rule file's own error for a pattern that does not compile: file:line: key."""
    from ..problems import InputError
    from ..rules import rule_problem

    i = next(i for i, r in enumerate(rules.rules) if r.id == exc.rule_id)
    return InputError([rule_problem(RULES_FILE, ("rules", i, exc.key), str(exc))])


# --- compiling ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _DrugKey:
    """The hashable part of a document the patterns depend on: its drugs."""

    drugs: tuple[tuple[str, bool, bool], ...]  # (name, opioid, misuse_potential)

    @classmethod
    def of(cls, doc: Document | None) -> _DrugKey:
        items = doc.subject.all_interventions() if doc else []
        return cls(tuple((d.name, d.opioid, d.misuse_potential) for d in items))

    @classmethod
    def examples(cls) -> _DrugKey:
        """The subject the rules' own examples are written about (tests only)."""
        return cls(tuple((d.name, d.opioid, d.misuse_potential)
                         for d in load_claim_rules().examples_subject))


@dataclass(frozen=True)
class _Compiled:
    rule: ClaimRule
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]
    hedge: re.Pattern[str] | None
    # One per pattern: the groups of words it needs, to skip a scan that cannot match (none:
    # always scan); and a gate, any word of every pattern's first group, when each pattern
    # needs some: no word of it, no match of the rule (guards.prefilter).
    prefilters: tuple[tuple[re.Pattern[str], ...], ...] = ()
    gate: re.Pattern[str] | None = None

    def matches(self, text: str, lower: str) -> Iterator[tuple[re.Pattern[str], re.Match[str]]]:
        """Each pattern's matches in ``text``, in order; ``lower`` is ``lowered(text)``."""
        for pattern, needs in zip(self.patterns, self.prefilters, strict=True):
            if all(words.search(lower) for words in needs):
                for m in pattern.finditer(text):
                    yield pattern, m


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "this drug" wins over "drug"; spaces match any whitespace.
    ordered = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered) + ")"


def _token_regex(token: str) -> str:
    parts = re.split(r"[\s\-\u2010\u2011]+", token.strip())
    body = r"[\s\-\u2010\u2011]+".join(re.escape(p) for p in parts)
    body = body.replace("%", r"\s*%")
    return rf"(?<![\w.]){body}(?!\w)"


def _tokens_regex(tokens: list[str]) -> str:
    bodies = sorted({_token_regex(t)[len("(?<![\\w.])"):-len("(?!\\w)")] for t in tokens},
                    key=len, reverse=True)
    return r"(?<![\w.])(?:" + "|".join(bodies) + r")(?!\w)"


def _placeholders(vocab: Vocab, fragments: dict[str, str], key: _DrugKey) -> dict[str, str]:
    # No topic vocabulary by default: without a document only the generic words match,
    # and a class the document does not have gets a pattern that never matches.
    names = [name for name, _, _ in key.drugs]
    non_opioid = [name for name, opioid, _ in key.drugs if not opioid]
    risky = [name for name, opioid, misuse in key.drugs if not opioid and misuse]
    values = {
        "drug": _alternation(names + vocab.drug_generic),
        "non_opioid": _alternation(non_opioid),
        "misuse_non_opioid": _alternation(risky),
        "medicine": _alternation(vocab.medicine),
        "treatment": _alternation(vocab.treatment + vocab.medicine + names),
        "clinician": _alternation(vocab.clinician),
    }
    values = {k: (v if v != "(?:)" else "(?!x)x") for k, v in values.items()}
    values.update({k: " ".join(v.split()) for k, v in fragments.items()})
    return values


class _PatternError(ValueError):
    """A claim rule's pattern that does not compile once its placeholders are filled."""

    def __init__(self, rule_id: str, key: str, message: str):
        super().__init__(f"rule {rule_id}: {message}")
        self.rule_id, self.key = rule_id, key


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _filled(pattern: str, values: dict[str, str], rule_id: str, key: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise _PatternError(rule_id, key, f"unknown placeholder {m.group(0)}")
        return values[m.group(1)]

    return _PLACEHOLDER.sub(sub, pattern)


def _fill(pattern: str, values: dict[str, str], rule_id: str,
          key: str = "patterns") -> re.Pattern[str]:
    try:
        return _regex(_filled(pattern, values, rule_id, key))
    except re.error as exc:
        raise _PatternError(rule_id, key, f"bad pattern {pattern!r}: {exc}") from None


# Keyed on the filled source: the load-time check (no drugs) and each document's compile
# share every pattern that no drug fills in, compiled once (not through re's own cache of
# 512, which a few hundred rule patterns would churn).
@lru_cache(maxsize=2048)
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


@cache
def _compiled(key: _DrugKey) -> tuple[_Compiled, ...]:
    rules = load_claim_rules()
    try:
        return _compile_all(rules, key)
    except _PatternError as exc:  # a pattern a drug fills in
        raise _input_error(rules, _plain_error(rules) or exc) from None


def _plain_error(rules: ClaimRules) -> _PatternError | None:
    """The bad pattern as the rules read without a document: the same line whatever the
    document's drugs (the one the load-time check gave when it compiled every pattern)."""
    try:
        _compile_all(rules, _DrugKey(()))
    except _PatternError as exc:
        return exc
    return None


_Found = tuple[tuple[re.Pattern[str], re.Match[str]], ...]  # one rule's matches, in order
SCANS_HELD = 4096  # folded sentences whose matches a rule set holds (then it starts again)


class _RuleSet(tuple):
    """The compiled rules in order, holding each folded sentence's matches, rule by rule,
    keyed on its text: a topic's findings-file guard and its outputs' guards meet the same
    sentences again and again, and the matches depend on nothing else. A rule is scanned
    only when first asked for; the held matches live and die with these patterns."""

    def __init__(self, rules: Iterable[_Compiled]):
        self.scans: dict[str, list[_Found | None]] = {}

    def held(self, text: str) -> list[_Found | None]:
        """Each rule's matches in ``text`` so far (None: not scanned yet), to fill in."""
        held = self.scans.get(text)
        if held is None:
            if len(self.scans) >= SCANS_HELD:
                self.scans.clear()
            held = self.scans[text] = [None] * len(self)
        return held


# The placeholders a document's drugs fill in. For the prefilters they stand for any text,
# so the words a pattern needs are read once, not once per set of drugs: a pattern matching
# with the drugs filled in also matches with anything in their place (guards.prefilter).
_DRUG_PLACEHOLDERS = ("drug", "non_opioid", "misuse_non_opioid", "treatment")


def _needs(template: str, neutral: dict[str, str], rule_id: str,
           pattern: re.Pattern[str], kept: KeptWords) -> tuple[frozenset[str], ...]:
    try:
        source = _filled(template, neutral, rule_id, "patterns")
        if "(?<" not in source:  # no look-behind: it compiles if it parses, so parse only
            return kept.get(source, re.IGNORECASE)
        compiled = _regex(source)
    except (_PatternError, re.error):  # e.g. a placeholder inside a look-behind: read the
        return required_words(pattern)  # filled pattern
    return kept.get(compiled.pattern, compiled.flags)  # = required_words(compiled)


def _sources(rule: ClaimRule) -> list[str]:
    # An existence rule's tokens are one alternation, longest first: one scan per
    # sentence, not one per token.
    return [_tokens_regex(rule.tokens)] if rule.type == "existence" else rule.patterns


def _check_drug_free(rules: ClaimRules) -> None:
    """Raise _PatternError for a pattern that cannot compile whatever the document: an
    unknown placeholder anywhere, or a bad pattern that no drug fills in. Those compiled
    here are the very ones each document's compile then uses (held by their source)."""
    values = _placeholders(rules.vocab, rules.fragments, _DrugKey(()))
    for rule in rules.rules:
        for key, templates in (("patterns", _sources(rule)), ("exceptions", rule.exceptions)):
            for t in templates:
                if any(m.group(1) in _DRUG_PLACEHOLDERS for m in _PLACEHOLDER.finditer(t)):
                    _filled(t, values, rule.id, key)  # its placeholders are all known
                else:
                    _fill(t, values, rule.id, key)


def _compile_all(rules: ClaimRules, key: _DrugKey) -> tuple[_Compiled, ...]:
    values = _placeholders(rules.vocab, rules.fragments, key)
    neutral = {**values, **dict.fromkeys(_DRUG_PLACEHOLDERS, "(?s:.*)")}
    kept = kept_words()  # the words each pattern needs, as earlier runs read them
    out = []
    for rule in rules.rules:
        sources = _sources(rule)
        hedge = (_regex(r"\b(?:" + "|".join(map(re.escape, rule.hedges)) + r")\b")
                 if rule.hedges else None)
        patterns = tuple(_fill(p, values, rule.id) for p in sources)
        needs = [_needs(t, neutral, rule.id, p, kept)
                 for t, p in zip(sources, patterns, strict=True)]
        # A rule all of whose patterns need words: one search for any of their first groups.
        gate = (words_regex(w for groups in needs for w in groups[0])
                if all(needs) else None)
        out.append(_Compiled(
            rule,
            patterns,
            tuple(_fill(p, values, rule.id, "exceptions") for p in rule.exceptions),
            hedge,
            tuple(tuple(map(words_regex, groups)) for groups in needs),
            gate,
        ))
    kept.save()
    return _RuleSet(out)


# --- sentences and context -----------------------------------------------------------------

_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\b(?:but|however|although|though|yet|whereas|while)\b", re.I)
_NEGATOR = re.compile(
    r"\b(?:not|no|never|neither|nor|cannot|without|none|nothing|unlikely)\b|n't\b", re.I)
# Phrases with a negator that intensify rather than negate.
_NOT_NEGATION = re.compile(r"\b(?:not\s+only|not\s+just|no\s+doubt|no\s+wonder)\b", re.I)


def _clause_before(sentence: str, start: int, max_words: int) -> str:
    before = sentence[:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    clause = before[breaks[-1]:] if breaks else before
    return " ".join(clause.split()[-max_words:])


def _negated(sentence: str, start: int) -> bool:
    window = _NOT_NEGATION.sub(" ", _clause_before(sentence, start, 8))
    return _NEGATOR.search(window) is not None


class _Correlational:
    """Decides whether a sentence is about a correlational finding."""

    def __init__(self, spec: Iterable[str] | bool | None, doc: Document | None):
        self.everything = spec is True
        terms: list[str] = []
        self.passages: list[str] = []
        if spec is None and doc is not None:
            terms = correlational_terms(doc)
            self.passages = [" ".join(comparable_words(t)) for t in correlational_passages(doc)]
        elif spec not in (True, False, None):
            terms = list(spec)  # type: ignore[arg-type]
        self.terms = [re.compile(rf"(?<![\w.]){re.escape(t)}(?!\w|\.\d)", re.I) for t in terms]

    def __call__(self, sentence: str) -> bool:
        if self.everything:
            return True
        if any(t.search(sentence) for t in self.terms):
            return True
        if not self.passages:
            return False
        words = joined_words(sentence)
        return len(words.split()) >= 3 and any(f" {words} " in f" {p} " for p in self.passages)


@lru_cache(maxsize=16384)  # a pure function of the text: the same sentence recurs per audience
def joined_words(text: str) -> str:
    """:func:`comparable_words` of ``text``, joined by single spaces."""
    return " ".join(comparable_words(text))


def correlational_passages(doc: Document) -> list[str]:
    """Every wording of every correlational finding, figures filled in."""
    out = []
    for f in doc.findings:
        if f.kind == "correlational":
            texts = (_finding_text(doc, f, key) for key in ("clinician", "plain", "press"))
            out += [t for t in texts if t]
    return out


def correlational_terms(doc: Document) -> list[str]:
    """Figures distinctive to correlational findings, to spot them in rendered text.

    Bare small integers and figures shared with other findings or sample sizes are left
    out: they would mark unrelated sentences as correlational.
    """
    other = {str(fig) for f in doc.findings if f.kind != "correlational"
             for fig in f.figures.values()}
    other |= {str(s.participants.n) for s in doc.studies}
    terms: list[str] = []
    for f in doc.findings:
        if f.kind != "correlational":
            continue
        for fig in f.figures.values():
            for term in {str(fig), str(fig.value)}:
                distinctive = not term.isdigit() or len(term) >= 3
                if distinctive and term not in other and term not in terms:
                    terms.append(term)
    return terms


class _Quotes:
    """Spots matches that sit inside the document's quoted speech."""

    def __init__(self, doc: Document | None):
        self.texts = [f" {' '.join(comparable_words(q.text))} " for q in doc.quotes] if doc else []

    def covers(self, sentence: str, start: int, end: int) -> bool:
        if not self.texts:
            return False
        match = comparable_words(sentence[start:end])
        before = comparable_words(sentence[:start])[-3:]
        after = comparable_words(sentence[end:])[:3]
        # Four words at least, so a lone "cure" is not taken for the quote that has it.
        probes = [p for p in (before + match, match + after) if len(p) >= 4]
        return any(f" {' '.join(p)} " in q for q in self.texts for p in probes)


# --- the guard ----------------------------------------------------------------------------

def _applies(rule: ClaimRule, categories: Collection[str] | None, audience: Audience | None,
             correlational: bool) -> bool:
    """The rule is asked for, is meant for this reader, and fits the kind of finding."""
    if categories is not None and rule.category not in categories:
        return False
    if rule.audiences is not None and audience not in rule.audiences:
        return False
    return rule.type != "causal_on_correlational" or correlational


def _dismissed(c: _Compiled, pattern: re.Pattern[str], m: re.Match[str], plain: str) -> bool:
    """A match the sentence itself takes back: a negation or a hedge before it."""
    if "neg" in pattern.groupindex and m.group("neg"):
        return True
    if c.rule.negation and _negated(plain, m.start()):
        return True
    return bool(c.hedge and c.hedge.search(_clause_before(plain, m.start(), 3)))


def _candidates(compiled: tuple[_Compiled, ...], sentence: str, text: str,
                correlational: bool | Callable[[str], bool],
                categories: Collection[str] | None, audience: Audience | None,
                ) -> Iterator[tuple[_Compiled, _Found]]:
    """The rules that apply to the sentence and match its folded ``text``, in order, each
    with its matches."""
    # Rules compiled by hand (tests) are a plain tuple: nothing held.
    held: list[_Found | None] = (compiled.held(text) if isinstance(compiled, _RuleSet)
                                 else [None] * len(compiled))
    lower: str | None = None
    for i, c in enumerate(compiled):
        rule = c.rule
        found = held[i]
        if found is not None and not found:
            continue  # no pattern of this rule matches the text
        if not _applies(rule, categories, audience, True):  # all but the correlational test
            continue
        if found is None:
            lower = lowered(text) if lower is None else lower
            gate = c.gate is None or c.gate.search(lower) is not None  # else: none of the
            found = held[i] = tuple(c.matches(text, lower)) if gate else ()  # words needed
            if not found:
                continue
        if rule.type == "causal_on_correlational":
            if not isinstance(correlational, bool):
                correlational = correlational(sentence)
            if not correlational:
                continue
        yield c, found


def _check_sentence(sentence: str, compiled: tuple[_Compiled, ...],
                    correlational: bool | Callable[[str], bool],
                    quotes: _Quotes, categories: Collection[str] | None,
                    audience: Audience | None = None) -> Iterator[ClaimHit]:
    """``correlational`` may be a test of the sentence: it is then run only when a causal
    rule could match (the hits are the same either way; the test folds the sentence's
    words against every correlational passage)."""
    # Clauses are found with en and em dashes still there (a dash ends a clause, a hyphen does
    # not); the rules match with them folded to hyphens. Folding dashes is one character for
    # one, so an offset in ``text`` is the same offset in ``plain``.
    plain = fold(sentence, dashes=False)
    text = fold(plain)
    seen: set[tuple[str, str]] = set()
    for c, found in _candidates(compiled, sentence, text, correlational, categories, audience):
        rule = c.rule
        excepted: bool | None = None  # looked up only once a pattern matches: most never do
        for pattern, m in found:
            if excepted is None:
                excepted = any(e.search(text) for e in c.exceptions)
            if excepted:  # the rule is quiet for the whole sentence
                break
            if _dismissed(c, pattern, m, plain):
                continue
            matched = " ".join(m.group(0).split())
            if (rule.id, matched.lower()) in seen:
                continue
            seen.add((rule.id, matched.lower()))
            quoted = quotes.covers(text, m.start(), m.end())
            if quoted and rule.category != "hype":
                continue
            yield ClaimHit(rule.id, "warning" if quoted else rule.level, sentence.strip(),
                           matched, rule.reason, rule.fix, " ".join(rule.source.split()),
                           quoted)


def guard_text(text: str, doc: Document | None = None,
               correlational_terms: Iterable[str] | bool | None = None, *,
               categories: Collection[str] | None = None,
               audience: Audience | None = None) -> list[ClaimHit]:
    """Run the claim rules over ``text``, sentence by sentence.

    ``correlational_terms`` says which sentences the causal-on-correlational rules check:
    True = every sentence (the text is a correlational finding), False = none, a list of
    terms = sentences containing one of them, None = derived from ``doc`` (its
    correlational findings' wording and distinctive figures), or none without a doc.
    With a ``doc``, intervention names come from its subject and words inside its quotes
    are reported only for hype, as warnings. ``audience`` runs the rules kept for one
    reader (no statistics in patient text); None runs only the rules for every reader.
    """
    return _guard(text, _DrugKey.of(doc), _Correlational(correlational_terms, doc),
                  categories, _Quotes(doc), audience)


def guard_example(text: str, audience: Audience | None = None,
                  correlational: bool = True) -> list[ClaimHit]:
    """The guard as the rules' own examples are meant: about ``examples_subject``."""
    return _guard(text, _DrugKey.examples(), _Correlational(correlational, None), None,
                  _Quotes(None), audience)


def _guard(text: str, key: _DrugKey, is_correlational: _Correlational,
           categories: Collection[str] | None, quotes: _Quotes,
           audience: Audience | None,
           memo: dict[tuple[str, _Correlational, Audience | None], list[ClaimHit]] | None = None,
           ) -> list[ClaimHit]:
    """``memo`` holds a sentence's hits for calls that share ``key``, ``categories`` and
    ``quotes`` (one pass over a findings file): the same sentence in two fields is checked
    once."""
    compiled = _compiled(key)
    correlational = True if is_correlational.everything else is_correlational
    hits: list[ClaimHit] = []
    for sentence in split_sentences(text):
        if memo is None:
            hits += _check_sentence(sentence, compiled, correlational, quotes, categories,
                                    audience)
            continue
        held = memo.get((sentence, is_correlational, audience))
        if held is None:
            held = memo[sentence, is_correlational, audience] = list(_check_sentence(
                sentence, compiled, correlational, quotes, categories, audience))
        hits += held
    return hits


# --- the findings file ------------------------------------------------------------------

def _finding_text(doc: Document, finding: Finding, key: str) -> str:
    text = getattr(finding, key) or ""
    try:
        return finding.fill(text, doc.study(finding.study).participants.n, FINDING_KEYS.get(key))
    except (KeyError, ValueError, IndexError, StopIteration):  # the loader reports these
        return text


def prose_fields(doc: Document) -> Iterator[tuple[Loc, str, bool]]:
    """(location, text, correlational) for every prose field a reader may see, quotes excepted.

    Findings' statements come with their figures filled in for their own audience."""
    for field in prose(doc):
        if field.finding is not None:
            finding = doc.findings[field.finding]
            yield (field.loc, _finding_text(doc, finding, field.field),
                   finding.kind == "correlational")
        else:
            yield field.loc, field.text, False


def _audience_of(loc: Loc) -> Audience | None:
    last = loc[-1] if loc else None
    if last in FINDING_KEYS and loc[0] == "findings":
        return FINDING_KEYS[str(last)]
    if loc[:1] in PATIENT_SEES or (loc[-1:] == ("plain",) and loc[:1] == ("studies",)):
        return "patient"  # shared by every reader, the patient included: strictest rules
    return last if last in AUDIENCES else None


# Fields with no audience of their own that the patient leaflet always prints (the title,
# help lines, the studies' plain wordings): checked with the patient-only rules too, so
# `check` finds what the build's guard on the leaflet would. (A glossary entry is shown
# only where the patient text uses its term, which that text is checked for already.)
PATIENT_SEES = {("title",), ("help",)}


def _message(hit: ClaimHit) -> str:
    sentence = hit.sentence if len(hit.sentence) <= 140 else hit.sentence[:137] + "..."
    where = " (in quoted speech)" if hit.quoted else ""
    return f"{hit.rule}: “{hit.matched}”{where} in “{sentence}”. {hit.reason} Fix: {hit.fix}"


def claim_problems(loaded: LoadedDocument) -> list[Problem]:
    """The claim guard over every prose field of a findings file, one Problem per hit."""
    doc = loaded.doc
    problems = []
    no_quotes = _Quotes(None)  # prose fields are our own words, whatever a quote says
    # The correlational context (terms and folded passages) is the same for every field:
    # built once per document, not once per field.
    key = _DrugKey.of(doc)
    context = _Correlational(None, doc)
    everything = _Correlational(True, doc)
    memo: dict[tuple[str, _Correlational, Audience | None], list[ClaimHit]] = {}  # this pass
    for loc, text, correlational in prose_fields(doc):
        for hit in _guard(text, key, everything if correlational else context, None,
                          no_quotes, _audience_of(loc), memo):
            problems.append(loaded.problem(loc, _message(hit), hit.level))
    nothing = _Correlational(False, doc)
    for i, quote in enumerate(doc.quotes):
        for hit in _guard(quote.text, key, nothing, {"hype"}, no_quotes, None):
            quoted = ClaimHit(hit.rule, "warning", hit.sentence, hit.matched, hit.reason,
                              hit.fix, hit.source, quoted=True)
            problems.append(loaded.problem(("quotes", i, "text"), _message(quoted), "warning"))
    return problems


def output_problems(loaded: LoadedDocument, audience: Audience, text: str,
                    output: str) -> list[Problem]:
    """The guard over an output's visible text. A hit in a sentence that comes from the
    findings file is reported at that field's line, as `check` reports it; only wording
    the file does not hold (a template's or the phrasebook's) names the output file."""
    doc = loaded.doc
    fields, key, context, quotes = _document_context(doc)
    problems = []
    for hit in _guard(text, key, context, None, quotes, audience):
        words = joined_words(hit.sentence)
        loc = next((loc for loc, field in fields if words and words in field), None)
        if loc is not None:
            problems.append(loaded.problem(loc, _message(hit), hit.level))
        else:
            problems.append(Problem(output, None, f"claim:{hit.rule}",
                                    f"{hit.reason} in “{hit.sentence}”. Fix: {hit.fix}",
                                    hit.level))
    return problems


# A build checks one document's outputs one after the other: the prose fields' comparable
# words, the drug key, the correlational context and the quotes are worked out once for all
# of its audiences (held per thread, for the last document, by identity: a reloaded file is
# a new Document). guard_text(text, doc) builds the same context.
_last_fields = threading.local()


def _document_context(doc: Document) -> tuple[list[tuple[Loc, str]], _DrugKey, _Correlational,
                                              _Quotes]:
    held = getattr(_last_fields, "held", None)
    if held is not None and held[0] is doc:
        return held[1]
    fields = [(loc, joined_words(t)) for loc, t, _ in prose_fields(doc)]
    context = (fields, _DrugKey.of(doc), _Correlational(None, doc), _Quotes(doc))
    _last_fields.held = (doc, context)
    return context
