"""One strict schema for every rule file, the findings file and ``explainer.yaml``.

``Strict`` is the one base: unknown keys are refused (a typo ``limts:`` fails instead of
silently dropping a target) and strings lose stray whitespace. Each shipped rule file has a
model here, named in ``SCHEMAS``; ``explainer.rules.load_rules`` validates a file with it when
the file is first read, and ``explainer.load.schema_problems`` turns every error into one
``file:line: key: message`` line.

This module imports only pydantic: ``explainer score`` reads targets and plain words without
loading the findings model. The two rule files whose values are findings-model values (caveat
rules, help lines) have their models in ``schema_topic``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Audience = Literal["patient", "clinician", "press"]  # explainer.model re-exports it
Number = Annotated[float, Field(strict=True)]  # a number written as a number: not "6", not true
Weight = float  # checked by field constraints: 0 < weight <= 1


class Strict(BaseModel):
    """The one base of every schema: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # What the keys of this mapping are called in an "unknown ..." message.
    unknown_word: ClassVar[str] = "key"


def _unique_ids(items: list[Any], what: str) -> None:
    ids = [item.id for item in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate {what} ids {dupes}")


def _regex(pattern: str, flags: int = re.IGNORECASE) -> str:
    try:
        re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from None
    return pattern


class MatchExamples(Strict):
    """Phrases a pattern rule must find, and phrases it must leave alone (run by the tests)."""

    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


# --- certainty.yaml -------------------------------------------------------------------------

class _ParticipantsBelow(Strict):
    participants_below: int = Field(ge=1)


class Downgrade(Strict):
    id: str
    when: _ParticipantsBelow
    reason: str
    short: str
    source: str


class _SourceCheckWhen(Strict):
    status_in: list[Literal["peer_reviewed", "preprint", "disputed"]] | None = None
    no_paper_source: bool | None = None


class SourceCheck(Strict):
    id: str
    when: _SourceCheckWhen
    note: str


CertaintyLevel = Literal["very low", "low", "moderate", "high"]


class CertaintyRules(Strict):
    source: str
    levels: list[CertaintyLevel] = Field(min_length=1)
    start: dict[str, CertaintyLevel]
    wording: dict[CertaintyLevel, str]
    downgrades: list[Downgrade] = Field(default_factory=list)
    source_checks: list[SourceCheck] = Field(default_factory=list)


# --- claims.yaml ----------------------------------------------------------------------------

ClaimLevel = Literal["error", "warning"]
Category = Literal["hype", "causal", "advice", "classification", "combination", "statistics"]


class ClaimExamples(Strict):
    bad: list[str] = Field(min_length=1)
    good: list[str] = Field(min_length=1)


class ClaimRule(Strict):
    id: str
    type: Literal["existence", "pattern", "causal_on_correlational"]
    category: Category
    level: ClaimLevel
    tokens: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    hedges: list[str] = Field(default_factory=list)
    negation: bool = True
    audiences: list[Audience] | None = Field(
        None, description="Only text for these readers is checked; unset: every text.")
    reason: str
    fix: str
    source: str
    examples: ClaimExamples

    @model_validator(mode="after")
    def _has_matchers(self) -> ClaimRule:
        if self.type == "existence" and not self.tokens:
            raise ValueError(f"{self.id}: an existence rule needs tokens")
        if self.type != "existence" and not self.patterns:
            raise ValueError(f"{self.id}: a {self.type} rule needs patterns")
        return self


class Vocab(Strict):
    """Words of any topic. Names of the document's own interventions are added per file."""

    drug_generic: list[str] = Field(default_factory=list)
    medicine: list[str]
    treatment: list[str]
    clinician: list[str]


class ExampleIntervention(Strict):
    name: str
    opioid: bool = False
    misuse_potential: bool = False


class ClaimRules(Strict):
    vocab: Vocab
    # The interventions the rules' own examples are about: for the self-tests only, never
    # a default for a findings file (a file names its own interventions).
    examples_subject: list[ExampleIntervention] = Field(default_factory=list)
    fragments: dict[str, str] = Field(default_factory=dict)
    rules: list[ClaimRule]

    @model_validator(mode="after")
    def _ids(self) -> ClaimRules:
        _unique_ids(self.rules, "rule")
        return self


# --- communication.yaml ---------------------------------------------------------------------

class CommItem(Strict):
    instrument: str
    item: int = Field(ge=1)
    text: str
    check: str | None = None


class Instrument(Strict):
    name: str
    source: str
    audiences: list[Audience]


class CaveatSection(Strict):
    section: str
    heading: str
    kinds: list[str]
    unknowns: bool = False
    rest: bool = False


class CommunicationRules(Strict):
    instruments: dict[str, Instrument]
    imperatives: list[str]
    items: list[CommItem]
    patient_caveat_sections: list[CaveatSection] = Field(default_factory=list)
    clinician_caveat_sections: list[CaveatSection] = Field(default_factory=list)
    vague_headings: list[str] = Field(default_factory=list)
    max_list_items: int = Field(6, ge=1)

    @model_validator(mode="after")
    def _instruments_known(self) -> CommunicationRules:
        unknown = sorted({it.instrument for it in self.items} - set(self.instruments))
        if unknown:
            raise ValueError(f"items name unknown instruments {unknown}")
        return self


# --- draft_rules.yaml -----------------------------------------------------------------------

Regexes = list[str]


class DesignCue(Strict):
    pattern: str
    design: str


class BlindingCue(Strict):
    pattern: str
    blinding: Literal["double_blind", "single_blind", "open", "unknown"]


class DraftRules(Strict):
    sources: dict[str, str] = Field(min_length=1)
    article_end: Regexes
    other_study: Regexes
    back_to_study: Regexes
    n_cues: Regexes
    n_exclude: Regexes
    extra_people: list[str]
    journal_patterns: Regexes
    journal_by_patterns: Regexes
    journal_words: list[str]
    doi: str
    designs: list[DesignCue]
    blinding: list[BlindingCue]
    ages: Regexes
    settings: Regexes
    measure_words: list[str]
    comparators: Regexes
    conditions: list[str]
    dose_units: list[str]
    dose_routes: list[str]
    servings: list[str]
    percent_not_after: list[str]
    result_exclude: Regexes
    count_nouns: list[str]
    stats: dict[str, str]


# --- labels.yaml ----------------------------------------------------------------------------

class Label(Strict):
    text: str
    plain_text: str
    tone: Literal["good", "neutral", "caution"]


class LabelRules(Strict):
    source: str
    review: dict[str, Label]
    design: dict[str, Label]
    subjects: dict[str, Label]


# --- phrasebook.yaml ------------------------------------------------------------------------

class PerAudience(Strict):
    patient: str
    clinician: str
    press: str


class Blinding(Strict):
    clinician: str
    suffix: str
    patient: str


class OneOrMany(Strict):
    one: str
    many: str


class Regimen(Strict):
    parts: list[str]  # Regimen (or Dose) fields, in the order they are joined
    duration_prefix: str
    heading: OneOrMany


class Phrasebook(Strict):
    designs: dict[str, PerAudience]
    blinding: dict[str, Blinding]
    measured: PerAudience
    subjects_plain: dict[str, str]
    regimen: Regimen
    section_titles: dict[str, dict[Audience, OneOrMany]]


# --- plain_words.yaml -----------------------------------------------------------------------

class PlainWord(Strict):
    word: str = Field(min_length=1)
    forms: list[str] = Field(default_factory=list)
    plain: str
    source: str
    reason: str


class PlainWords(Strict):
    sources: dict[str, str] = Field(min_length=1)
    words: list[PlainWord]

    @model_validator(mode="after")
    def _sources_known(self) -> PlainWords:
        _known_sources(self.words, self.sources, "word")
        return self


def _known_sources(entries: list[Any], sources: dict[str, str], what: str) -> None:
    unknown = sorted({e.source for e in entries} - set(sources))
    if unknown:
        raise ValueError(f"a {what} names a source not under sources: {unknown}")


# --- schema_help.yaml -----------------------------------------------------------------------

class FieldHelp(Strict):
    description: str = Field(min_length=3)
    example: Any = None


class SchemaHelp(Strict):
    sources: dict[str, str] = Field(min_length=1)
    fields: dict[str, FieldHelp]


# --- source_markers.yaml --------------------------------------------------------------------

class Marker(Strict):
    """A phrase that tells what kind of document a source is."""

    id: str
    pattern: str
    weight: Weight = Field(gt=0, le=1)
    reason: str = Field(min_length=3)
    source: str  # a key of the file's sources
    examples: MatchExamples

    @model_validator(mode="after")
    def _compiles(self) -> Marker:
        _regex(self.pattern)
        return self


class SourceMarkers(Strict):
    sources: dict[str, str] = Field(min_length=1)
    ai_generated: list[Marker]
    preprint: list[Marker]

    @model_validator(mode="after")
    def _ids(self) -> SourceMarkers:
        markers = [*self.ai_generated, *self.preprint]
        _unique_ids(markers, "marker")
        _known_sources(markers, self.sources, "marker")
        return self


# --- spin_lexicon.yaml ----------------------------------------------------------------------

class Swap(Strict):
    """A word an article spinner puts in place of a common one."""

    spun: str = Field(min_length=1)
    for_: str = Field(alias="for")
    weight: Weight = Field(gt=0, le=1)
    source: str
    match: str | None = None
    case_sensitive: bool = False
    reason: str = Field(min_length=3)
    examples: MatchExamples


class SpinLexicon(Strict):
    sources: dict[str, str] = Field(min_length=1)
    placeholders: dict[str, str]
    function_words: dict[str, int] = Field(min_length=1)
    half_score_per_100_words: float = Field(gt=0)
    swaps: list[Swap]

    @model_validator(mode="after")
    def _sources_known(self) -> SpinLexicon:
        _known_sources(self.swaps, self.sources, "swap")
        return self


# --- targets.yaml and the readability: section of explainer.yaml ----------------------------

class Limits(Strict):
    """Readability limits: grade metrics are maximums, fre a minimum; null removes one."""

    unknown_word: ClassVar[str] = "metric"
    fk: Number | None = None
    fre: Number | None = None
    smog: Number | None = None
    fog: Number | None = None
    cli: Number | None = None
    ari: Number | None = None
    dc: Number | None = None


class SentenceLimits(Strict):
    hard: Number | None = None
    very_hard: Number | None = None
    min_words: Number | None = None
    long_words: Number | None = None


class Budget(Strict):
    unknown_word: ClassVar[str] = "budget"
    pages: Number | None = Field(None, gt=0)
    words: Number | None = Field(None, gt=0)


class AudienceTargets(Strict):
    limits: Limits | None = None
    sentences: SentenceLimits | None = None
    budget: Budget | None = None
    sources: list[str] | None = None


class Targets(Strict):
    sources: dict[str, str] = Field(default_factory=dict)
    audiences: dict[str, AudienceTargets] = Field(default_factory=dict)


# --- time_sensitive.yaml --------------------------------------------------------------------

class TimeSensitive(Strict):
    source: str
    max_age_years: int = Field(ge=1)
    terms: list[str] = Field(min_length=1)


# Rule file name (without .yaml) -> its model; "module:Class" loads a model lazily.
SCHEMAS: dict[str, type[Strict] | str] = {
    "caveat_rules": "explainer.rules.schema_topic:CaveatRules",
    "certainty": CertaintyRules,
    "claims": ClaimRules,
    "communication": CommunicationRules,
    "draft_rules": DraftRules,
    "help_lines": "explainer.rules.schema_topic:HelpRules",
    "labels": LabelRules,
    "phrasebook": Phrasebook,
    "plain_words": PlainWords,
    "schema_help": SchemaHelp,
    "source_markers": SourceMarkers,
    "spin_lexicon": SpinLexicon,
    "targets": Targets,
    "time_sensitive": TimeSensitive,
}


def schema_of(name: str) -> type[Strict]:
    """The model of rule file ``name``."""
    model = SCHEMAS[name]
    if isinstance(model, str):
        from importlib import import_module

        module, _, attr = model.partition(":")
        model = getattr(import_module(module), attr)
    return model  # type: ignore[return-value]

