"""The findings file as a typed model.

Every object forbids unknown keys so a typo is an error, not a silently ignored field.
Numbers live in structured fields (study participants, finding figures) and statements
refer to them as ``{name}`` placeholders, so all three audiences print the same figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SOURCE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})

Audience = Literal["patient", "clinician", "press"]
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician", "press")

SourceKind = Literal[
    "press_release", "news", "news_summary", "ai_explainer", "paper", "preprint", "copy", "other"
]
StudyStatus = Literal["peer_reviewed", "preprint", "disputed"]
StudyDesign = Literal[
    "randomized_controlled",
    "randomized_crossover",
    "crossover",
    "nonrandomized_trial",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
    "systematic_review",
    "meta_analysis",
    "animal",
    "in_vitro",
    "other",
]
Subjects = Literal["people", "animals", "cells"]
Blinding = Literal["double_blind", "single_blind", "open", "unknown"]
FindingKind = Literal["causal", "correlational", "descriptive"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Evidence(Strict):
    """A source id and a short verbatim phrase from that source."""

    source: str
    quote: str = Field(min_length=3, max_length=400)


class PerAudience(Strict):
    """One idea worded for each reader. Missing wordings fall back: press -> patient."""

    patient: str | None = None
    clinician: str | None = None
    press: str | None = None

    def for_(self, audience: Audience) -> str | None:
        value = getattr(self, audience)
        if value is None and audience == "press":
            return self.patient
        return value


class Source(Strict):
    id: str
    file: str = Field(description="File name of the source text, found in sources_dir.")
    kind: SourceKind
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    language: str = "en"
    url: str | None = None
    notes: list[str] = Field(default_factory=list, description="Known problems with this source.")

    @field_validator("file")
    @classmethod
    def _plain_text_file_inside(cls, v: str) -> str:
        # A findings file may come from anyone: it must not point the quote checker (which
        # prints the closest passage of a source) at arbitrary files on this machine.
        path = PurePosixPath(v.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise ValueError("a source file is a path inside sources_dir (no '..', not absolute)")
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            raise ValueError(f"a source file is text: {', '.join(sorted(SOURCE_SUFFIXES))}")
        return v


class Participants(Strict):
    n: int = Field(ge=1)
    condition: str
    population: str | None = None
    ages: str | None = None
    plain: str | None = Field(None, description="The condition in everyday words.")


class Dose(Strict):
    drug: str
    amount: str
    route: str | None = None
    timing: str | None = None


class Measure(Strict):
    name: str
    abbreviation: str | None = None
    role: Literal["primary", "secondary", "exploratory", "safety"] = "primary"
    plain: str | None = None


class Arm(Strict):
    name: str
    plain: str | None = None


class Study(Strict):
    id: str
    short_name: str = Field(description="How the study is cited in text, e.g. 'Jelen et al. 2025'.")
    title: str | None = None
    journal: str | None = None
    doi: str | None = None
    year: int | None = None
    status: StudyStatus
    status_note: str | None = None
    design: StudyDesign
    blinding: Blinding = "unknown"
    subjects: Subjects = "people"
    institution: str | None = None
    lead_author: str | None = None
    participants: Participants
    intervention: Arm
    comparator: Arm | None = None
    doses: list[Dose] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    timepoints: list[str] = Field(default_factory=list)
    limitations: list[PerAudience] = Field(default_factory=list)
    reported_by: list[str] = Field(default_factory=list, description="Source ids.")
    evidence: list[Evidence] = Field(
        default_factory=list, description="Quotes backing the study's details (journal, DOI, n)."
    )
    accepted: str | None = Field(None, description="Why a flagged source is accepted as evidence.")

    @field_validator("doi")
    @classmethod
    def _doi_shape(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("10."):
            raise ValueError("a DOI starts with '10.' (write it without https://doi.org/)")
        return v


class Figure(Strict):
    value: int | float | str
    unit: str | None = None
    label: str | None = None

    def __str__(self) -> str:
        return f"{self.value}{self.unit or ''}"


class Finding(Strict):
    id: str
    study: str
    kind: FindingKind
    key: bool = Field(True, description="Shown in summaries and the press key facts.")
    figures: dict[str, Figure] = Field(default_factory=dict)
    clinician: str
    plain: str
    press: str | None = None
    evidence: list[Evidence] = Field(min_length=1)
    accepted: str | None = Field(None, description="Why a flagged source is accepted as evidence.")

    def fill(self, template: str, n: int) -> str:
        """A statement with its ``{figure}`` placeholders (and ``{n}``) filled in.

        The loader has checked that every placeholder is a bare known name, so every
        audience prints a figure exactly as the file stores it.
        """
        values = {name: str(fig) for name, fig in self.figures.items()}
        values["n"] = str(n)
        return template.format_map(values)


class Caveat(Strict):
    id: str
    kind: str | None = Field(None, description="Caveat kind that caveat rules ask for.")
    mandatory_for: list[Audience] = Field(default_factory=list)
    text: PerAudience
    evidence: list[Evidence] = Field(default_factory=list)
    guidance: str | None = Field(
        None, description="For caveats required by guidance, not sources: the guideline cited."
    )
    accepted: str | None = None


class Quote(Strict):
    speaker: str
    role: str | None = None
    source: str
    text: str = Field(max_length=300)
    audiences: list[Audience] = Field(default_factory=lambda: ["press"])


class Disagreement(Strict):
    study: str
    field: str
    claims: list[Evidence] = Field(min_length=2)
    values: list[str] = Field(min_length=2)
    handling: str


class GlossaryEntry(Strict):
    term: str
    plain: str
    aliases: list[str] = Field(default_factory=list)


class HelpLine(Strict):
    name: str
    contact: str
    region: str | None = None
    hours: str | None = None


class Drug(Strict):
    name: str
    misuse_potential: bool = False
    off_label_for: list[str] = Field(default_factory=list)
    opioid: bool = False


class Subject(Strict):
    conditions: list[str] = Field(default_factory=list)
    drugs: list[Drug] = Field(default_factory=list)


class Press(Strict):
    headline: str
    lede: str
    notes_to_editors: list[str] = Field(default_factory=list)


class Document(Strict):
    topic: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Slug used for out/<topic>/.")
    title: str
    language: str = "en"
    version: str = "1"
    date: dt.date | None = None
    draft: bool = Field(False, description="Marks every output DRAFT; TODO placeholders allowed.")
    sources_dir: str | None = Field(
        None, description="Folder of source texts, relative to this file."
    )
    subject: Subject = Field(default_factory=Subject)
    background: PerAudience
    why_it_matters: PerAudience | None = None
    means: list[PerAudience] = Field(default_factory=list)
    does_not_mean: list[PerAudience] = Field(default_factory=list)
    unknowns: list[PerAudience] = Field(default_factory=list)
    fit_together: PerAudience | None = None
    press: Press
    sources: list[Source] = Field(min_length=1)
    studies: list[Study] = Field(min_length=1)
    findings: list[Finding] = Field(min_length=1)
    caveats: list[Caveat] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    help: list[HelpLine] = Field(default_factory=list)

    def evidence(self) -> Iterator[tuple[tuple[str, int, str, int], Evidence]]:
        """Every evidence entry with its key path, e.g. ``("findings", 2, "evidence", 0)``:
        one walk for the reference check, the quote check and anything else that needs it."""
        groups: tuple[tuple[str, list, str], ...] = (
            ("studies", self.studies, "evidence"),
            ("findings", self.findings, "evidence"),
            ("caveats", self.caveats, "evidence"),
            ("disagreements", self.disagreements, "claims"),
        )
        for name, items, attr in groups:
            for i, item in enumerate(items):
                for j, ev in enumerate(getattr(item, attr)):
                    yield (name, i, attr, j), ev

    def study(self, study_id: str) -> Study:
        return next(s for s in self.studies if s.id == study_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
