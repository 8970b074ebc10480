"""Schemas of the rule files about source texts: screening markers, the spin lexicon, the
draft rules and time-sensitive claims. Built on ``schema.Strict``; listed in ``schema.SCHEMAS``."""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .schema import MatchExamples, Strict, Weight, _known_sources, _regex, _unique_ids

# --- draft_rules.yaml -----------------------------------------------------------------------

Regex = Annotated[str, AfterValidator(_regex)]  # refused at load if it does not compile
Regexes = list[Regex]


class DesignCue(Strict):
    pattern: Regex
    design: str


class BlindingCue(Strict):
    pattern: Regex
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
    doi: Regex
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


# --- source_markers.yaml --------------------------------------------------------------------

class Marker(Strict):
    """A phrase that tells what kind of document a source is."""

    id: str
    pattern: Regex
    weight: Weight = Field(gt=0, le=1)
    reason: str = Field(min_length=3)
    source: str  # a key of the file's sources
    examples: MatchExamples



class SourceMarkers(Strict):
    sources: dict[str, str] = Field(min_length=1)
    ai_generated: list[Marker]
    preprint: list[Marker]

    @model_validator(mode="after")
    def _ids(self) -> "SourceMarkers":
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
    def _sources_known(self) -> "SpinLexicon":
        _known_sources(self.swaps, self.sources, "swap")
        return self


# --- time_sensitive.yaml --------------------------------------------------------------------

class TimeSensitive(Strict):
    source: str
    max_age_years: int = Field(ge=1)
    terms: list[str] = Field(min_length=1)
