"""Schemas of the rule files the guards read: claim rules, the communication check and the
GRADE certainty rules. Built on ``schema.Strict``; listed in ``schema.SCHEMAS``."""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

from typing import Literal

from pydantic import Field, model_validator

from ..document.audiences import Audience
from .schema import Strict, _unique_ids

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
    def _has_matchers(self) -> "ClaimRule":
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
    def _ids(self) -> "ClaimRules":
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
    def _instruments_known(self) -> "CommunicationRules":
        unknown = sorted({it.instrument for it in self.items} - set(self.instruments))
        if unknown:
            raise ValueError(f"items name unknown instruments {unknown}")
        return self


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
