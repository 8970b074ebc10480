"""Schemas of the rule files that word the outputs: evidence labels, the phrasebook and the
findings-schema help. Built on ``schema.Strict``; listed in ``schema.SCHEMAS``."""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

from typing import Any, Literal

from pydantic import Field

from ..document.audiences import Audience
from .schema import Strict

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


# --- schema_help.yaml -----------------------------------------------------------------------

class FieldHelp(Strict):
    description: str = Field(min_length=3)
    example: Any = None


class SchemaHelp(Strict):
    sources: dict[str, str] = Field(min_length=1)
    fields: dict[str, FieldHelp]
