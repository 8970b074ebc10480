"""The findings file as a typed model.

Every object forbids unknown keys so a typo is an error, not a silently ignored field.
Numbers live in structured fields (study participants, finding figures) and statements
refer to them as ``{name}`` placeholders, so all three audiences print the same figure.
"""

# Annotations stay real objects (no `from __future__ import annotations`): pydantic would
# compile every string annotation back, a few ms per import.

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator

from ..rules.schema import Strict  # the one strict base of every schema
from .audiences import AUDIENCES as AUDIENCES  # named once there; re-exported for importers
from .audiences import Audience as Audience

_DOC_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
SOURCE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})


SourceKind = Literal[
    "press_release", "news", "news_summary", "ai_explainer", "paper", "preprint", "copy", "other"
]
StudyStatus = Literal["peer_reviewed", "preprint", "disputed"]
StudyDesign = Literal[
    "randomized_controlled",
    "randomized_crossover",
    "randomized_cluster",
    "randomized_screening",
    "crossover",
    "nonrandomized_trial",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
    "diagnostic_accuracy",
    "screening",
    "systematic_review",
    "meta_analysis",
    "qualitative",
    "animal",
    "in_vitro",
    "other",
]
Subjects = Literal["people", "animals", "cells"]
Blinding = Literal["double_blind", "single_blind", "open", "unknown"]
FindingKind = Literal["causal", "correlational", "descriptive"]
InterventionKind = Literal[
    "drug", "procedure", "surgery", "device", "exercise", "behavioural", "diet", "screening",
    "diagnostic_test", "vaccine", "digital", "exposure", "other",
]
# Effect measures a figure can carry; explainer/render/figures_text.py words each per audience.
EffectMeasure = Literal[
    "hr", "rr", "or", "rate_ratio", "mean_difference", "risk_difference", "absolute_risk",
    "rate", "percentage", "sensitivity", "specificity", "ppv", "npv", "count", "nnt", "other",
]


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
        if not v.isprintable():  # a NUL byte or a line break in a file name
            raise ValueError("a source file name cannot hold control characters")
        path = PurePosixPath(v.replace("\\", "/"))
        if any(len(part.encode()) > 255 for part in path.parts) or len(v.encode()) > 1024:
            raise ValueError("a source file name is at most 255 bytes a part (file systems "
                             "hold no longer names)")
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


class Regimen(Strict):
    """What was given or done, how much, how often and for how long: for any kind."""

    amount: str | None = Field(None, description="How much: a dose, a distance, minutes.")
    frequency: str | None = Field(None, description="How often, e.g. 'three times a week'.")
    duration: str | None = Field(None, description="How long, e.g. 'three years'.")
    route: str | None = Field(None, description="For a drug or vaccine: how it is given.")
    delivery: str | None = Field(None, description="Who or what delivers it, e.g. a coach.")


class Dose(Strict):
    """A regimen line of a study. ``drug`` is the older name of ``intervention``."""

    drug: str | None = Field(None, description="Deprecated: use intervention.")
    intervention: str | None = None
    amount: str
    route: str | None = None
    timing: str | None = None

    @model_validator(mode="after")
    def _names_what(self) -> "Dose":
        if not (self.drug or self.intervention):
            raise ValueError("a dose names what it is of: give intervention (or drug)")
        return self

    @property
    def what(self) -> str:
        return self.intervention or self.drug or ""


class Measure(Strict):
    name: str
    abbreviation: str | None = None
    role: Literal["primary", "secondary", "exploratory", "safety"] = "primary"
    plain: str | None = None


class Arm(Strict):
    name: str
    plain: str | None = None
    kind: InterventionKind | None = Field(None, description="What kind of intervention it is.")
    regimen: Regimen | None = None


class GradeConcern(Strict):
    """A reviewer's reason to rate a study's certainty down, in a GRADE domain."""

    domain: Literal["risk of bias", "inconsistency", "indirectness", "imprecision",
                    "publication bias"] = Field(description="The GRADE domain of the concern.")
    reason: str = Field(description="Why, in a few words, e.g. 'one dose, next day only'.")
    levels: int = Field(1, ge=1, le=2, description="1 serious, 2 very serious.")


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
    authors: list[str] = Field(default_factory=list, description="Authors or co-chairs, in order.")
    interim: bool = Field(False, description="An interim analysis of a study still under way.")
    follow_up: str | None = Field(None, description="How long people were followed, in words.")
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
    grade: list[GradeConcern] = Field(
        default_factory=list,
        description="GRADE concerns a reviewer judged; replaces the automatic imprecision rule.")

    @field_validator("doi")
    @classmethod
    def _doi_shape(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("10."):
            raise ValueError("a DOI starts with '10.' (write it without https://doi.org/)")
        return v


class Interval(Strict):
    low: float
    high: float
    level: int = Field(95, ge=50, le=99)


class Figure(Strict):
    """A number from the evidence. Only value is required; the rest words it per audience."""

    value: int | float | str
    unit: str | None = None
    label: str | None = None
    of: int | None = Field(None, ge=1, description="Denominator: value is a 'k of n' count.")
    measure: EffectMeasure | None = None
    ci: Interval | None = None
    p: float | str | None = Field(None, description="p value, e.g. 0.052 or '<0.001'.")
    per: int | None = Field(None, ge=1, description="A rate per this many, e.g. 1000.")
    group: str | None = Field(None, description="The arm or group the figure is for.")
    versus: str | None = Field(None, description="Name of the comparison group's figure.")
    follow_up: str | None = None
    derived: str | None = Field(
        None, description="Arithmetic the figure comes from, e.g. '7 / 12 * 100'; recomputed.")
    evidence: list[Evidence] = Field(default_factory=list)

    def __str__(self) -> str:
        from ..render.figures_text import with_unit

        return with_unit(self.value, self.unit)


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

    def fill(self, template: str, n: int, audience: Audience | None = None) -> str:
        """A statement with its ``{figure}`` placeholders (and ``{n}``) filled in.

        The loader has checked that every placeholder is a bare known name. A plain figure
        prints as the file stores it; one with a measure, interval or denominator is worded
        for the audience (figures_text.py): natural frequencies for patients, intervals for
        clinicians, absolute beside relative for the press.
        """
        from ..render.figures_text import figure_text

        values = {name: figure_text(fig, audience, self.figures)
                  for name, fig in self.figures.items()}
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


def _press_only() -> list[Audience]:
    return ["press"]


class Quote(Strict):
    speaker: str
    role: str | None = None
    source: str
    text: str = Field(max_length=300)
    audiences: list[Audience] = Field(default_factory=_press_only)


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


class Intervention(Drug):
    """Anything tested or looked at: a drug is one kind among many."""

    kind: InterventionKind = "drug"
    plain: str | None = None
    regimen: Regimen | None = None


class Subject(Strict):
    conditions: list[str] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    drugs: list[Drug] = Field(default_factory=list, description="Deprecated: use interventions.")

    def all_interventions(self) -> list[Intervention]:
        """Interventions, with the older ``drugs:`` entries read as drug interventions."""
        old = [Intervention(**d.model_dump(), kind="drug") for d in self.drugs]
        return [*old, *self.interventions]


class NumberExceptions(Strict):
    """Digits a file may type into prose instead of a placeholder, declared up front."""

    years: bool = Field(False, description="Four-digit years (1800-2099) and decades (1960s).")
    list_numbering: bool = Field(False, description="'1.', '(2)', '3)' numbering items.")
    phrases: list[str] = Field(
        default_factory=list, description="Exact phrases, e.g. a phone number or 'type 2'.")


class Press(Strict):
    headline: str
    lede: str
    notes_to_editors: list[str] = Field(default_factory=list)


class AcceptedWarning(Strict):
    """A data-check warning an editor has looked at and accepted. Printed nowhere public."""

    key: str = Field(description="The key the warning names, e.g. 'studies[0].participants.n'.")
    match: str = Field(description="Text the warning's message contains.")
    reason: str = Field(min_length=10)


class KeyMessage(Strict):
    """One key message in the reader's words; ``{name}`` placeholders take the figures of the
    findings it rests on, so a key message never types a number of its own."""

    text: str = Field(min_length=3, max_length=400)
    rests_on: list[str] = Field(min_length=1, description="Finding and caveat ids it rests on.")
    action: bool = Field(False, description="A call to action: what the reader can do.")
    visual: bool = Field(False, description="The message the patient leaflet's picture shows.")


class PatientMessages(Strict):
    purpose: str | None = Field(None, max_length=200,
                                description="What the leaflet is for, in one sentence (PEMAT-P 1).")
    messages: list[KeyMessage] = Field(min_length=3, max_length=5,
                                       description="The first is the main message (CDC CCI 1).")
    questions: list[str] = Field(default_factory=list, max_length=6,
                                 description="Questions to ask your care team.")


class ClinicianMessages(Strict):
    question: str = Field(description="The clinical question.")
    answer: list[KeyMessage] = Field(min_length=1, max_length=3)
    implications: list[KeyMessage] = Field(min_length=1, max_length=5)


class PressMessages(Strict):
    story: KeyMessage
    numbers: list[KeyMessage] = Field(default_factory=list, max_length=5)


class KeyMessages(Strict):
    patient: PatientMessages | None = None
    clinician: ClinicianMessages | None = None
    press: PressMessages | None = None


class EditorNotes(Strict):
    """Notes to editors as fields; an empty field prints "not stated in the sources"."""

    press_contact: str | None = None
    funding: str | None = None
    conflicts: str | None = None
    embargo: str | None = None
    publication_dates: list[str] = Field(default_factory=list)
    independent_comment: str | None = Field(None, description="Who outside the study commented.")
    costs: str | None = None


class Producer(Strict):
    """Who made the explainer and when (PIF TICK: dates and a review date in words)."""

    name: str | None = None
    published: dt.date | None = None
    next_review: dt.date | None = None


class PublishedReference(Strict):
    cited_as: str | None = Field(
        default=None, description="How texts cite it, e.g. 'Yoon et al. 2025' (references list).")
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    url: str | None = None


class SummaryRow(Strict):
    """A clinician summary-of-findings row for a trial known only from the published record."""

    outcome: str
    study: str = Field(description="How the row names the trial, e.g. 'Yoon et al. 2025'.")
    n: int = Field(gt=0)
    result: str = Field(description="The result as the record reports it (our words).")
    certainty: str = Field(description="GRADE level with the domains rated down, our reading.")


class RecordCheck(Strict):
    """A weak source's claim checked against the published record (editor sheet only)."""

    about: str = Field(description="Study, finding or caveat id.")
    claim: list[Evidence] = Field(min_length=1)
    published: PublishedReference
    finding: str = Field(description="What the published record says (our words).")
    handling: str
    summary_row: SummaryRow | None = None


def _fill_under(node: object, loc: tuple, fill: Callable[[str], str],
                raw: dict[tuple, str]) -> None:
    """Fill the placeholders of every string under ``node`` in place, keeping each raw text
    in ``raw`` by its key path."""
    if isinstance(node, (Evidence, Quote, Figure, Finding)):
        return  # quotes are verbatim; findings fill their own figures
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, str) and "{" in value:
                field_loc = (*loc, name)
                raw[field_loc] = value
                setattr(node, name, fill(value))
            else:
                _fill_under(value, (*loc, name), fill, raw)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, str) and "{" in item:
                item_loc = (*loc, i)
                raw[item_loc] = item
                node[i] = fill(item)
            else:
                _fill_under(item, (*loc, i), fill, raw)


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
    number_exceptions: NumberExceptions = Field(default_factory=NumberExceptions)
    accepted_warnings: list[AcceptedWarning] = Field(
        default_factory=list, description="Warnings accepted with a reason; never printed.")
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
    figures: dict[str, Figure] = Field(
        default_factory=dict,
        description="Figures for prose outside findings (background, caveats, notes...), "
                    "written there as {name}; each needs evidence: or derived:.")
    key_messages: KeyMessages = Field(default_factory=KeyMessages)
    editors: EditorNotes = Field(default_factory=EditorNotes)
    producer: Producer = Field(default_factory=Producer)
    record_checks: list[RecordCheck] = Field(default_factory=list)

    # Prose as written, before document figures were filled in: the number lock reads it.
    _raw_prose: dict[tuple, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _fill_document_figures(self) -> "Document":
        """Fill ``{name}`` in every prose field outside findings from ``figures:``, once, so
        every reader, the caveat proof and the claim guard see the same number."""
        if not self.figures:
            return self
        values = {name: str(fig) for name, fig in self.figures.items()}

        def fill(text: str) -> str:
            return _DOC_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

        for name in type(self).model_fields:
            if name not in ("topic", "sources_dir", "figures", "findings", "quotes"):
                value = getattr(self, name)
                if isinstance(value, str) and "{" in value:
                    self._raw_prose[(name,)] = value
                    setattr(self, name, fill(value))
                else:
                    _fill_under(value, (name,), fill, self._raw_prose)
        return self

    def raw_text(self, loc: tuple, text: str) -> str:
        """A prose field as the file wrote it (placeholders unfilled)."""
        return self._raw_prose.get(loc, text)

    def evidence(self) -> Iterator[tuple[tuple[str | int, ...], Evidence]]:
        """Every evidence entry with its key path, e.g. ``("findings", 2, "evidence", 0)``:
        one walk for the reference check, the quote check and anything else that needs it."""
        groups: tuple[tuple[str, list, str], ...] = (
            ("studies", self.studies, "evidence"),
            ("findings", self.findings, "evidence"),
            ("caveats", self.caveats, "evidence"),
            ("disagreements", self.disagreements, "claims"),
            ("record_checks", self.record_checks, "claim"),
        )
        for name, items, attr in groups:
            for i, item in enumerate(items):
                for j, ev in enumerate(getattr(item, attr)):
                    yield (name, i, attr, j), ev
        # Figures' own evidence: a quote that holds the number is verified like any other.
        for key, fig in self.figures.items():
            for j, ev in enumerate(fig.evidence):
                yield ("figures", key, "evidence", j), ev
        for i, finding in enumerate(self.findings):
            for key, fig in finding.figures.items():
                for j, ev in enumerate(fig.evidence):
                    yield ("findings", i, "figures", key, "evidence", j), ev

    def study(self, study_id: str) -> Study:
        return next(s for s in self.studies if s.id == study_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
