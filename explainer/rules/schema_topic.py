"""Schemas of the rule files whose values are findings-model values: the caveat rules (study
statuses, designs, finding kinds) and the help lines (help-line entries of the findings file).

Apart from ``schema`` because they import the findings model, which ``explainer score`` does not
need. Built on the same ``Strict`` base and validated by ``explainer.rules.load_rules``.
"""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from ..document.model import (
    Audience,
    FindingKind,
    HelpLine,
    InterventionKind,
    StudyDesign,
    StudyStatus,
    Subjects,
)
from .schema import Strict, _unique_ids

# --- caveat_rules.yaml ----------------------------------------------------------------------


class When(Strict):
    """The condition language: every test given must hold (an empty mapping never fires)."""

    unknown_word: ClassVar[str] = "test"
    study_status: list[StudyStatus] | None = None
    condition: list[str] | None = None
    drug_flag: Literal["misuse_potential", "opioid"] | None = None
    drug_lacks_flag: Literal["misuse_potential", "opioid"] | None = None
    drug_off_label_for_condition: bool | None = None
    mentions: list[str] | None = None
    design: list[StudyDesign] | None = None
    finding_kind: list[FindingKind] | None = None
    intervention_kind: list[InterventionKind] | None = None
    interim: bool | None = None
    subjects: list[Subjects] | None = None


class CaveatRule(Strict):
    id: str
    when: When | Literal["always"]
    kind: str
    audiences: list[Audience] = Field(min_length=1)
    needs_entries: list[Literal["help", "glossary", "quotes"]] = Field(default_factory=list)
    source: str
    reason: str

    @field_validator("when", mode="before")
    @classmethod
    def _when_shape(cls, v: object) -> object:
        if isinstance(v, dict) and not v:
            raise ValueError("an empty condition never fires; write `when: always` or add tests")
        return v


class CaveatRules(Strict):
    condition_terms: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[CaveatRule]

    @model_validator(mode="after")
    def _terms_known(self) -> "CaveatRules":
        _unique_ids(self.rules, "rule")
        unknown = {t for r in self.rules if isinstance(r.when, When)
                   for t in r.when.condition or [] if t not in self.condition_terms}
        if unknown:
            raise ValueError(f"no condition_terms for {sorted(unknown)}")
        return self


# --- help_lines.yaml ------------------------------------------------------------------------


class Headings(Strict):
    patient: str
    clinician: str
    press: str


class HelpRule(Strict):
    id: str
    conditions: list[str] = Field(min_length=1)
    headings: Headings
    lines: list[HelpLine] = Field(default_factory=list)
    source: str


class HelpRules(Strict):
    rules: list[HelpRule]
    fallback_headings: Headings
