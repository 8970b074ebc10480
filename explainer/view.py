"""The per-audience view of a document: what each template shows, already worded.

Templates stay dumb: every figure is substituted here from structured fields, every
"what they did" sentence comes from the phrasebook, and which caveats appear is decided
by the caveat rules, not by the template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .caveats import mandatory_caveats
from .help_lines import HelpSection, help_section
from .labels import evidence_labels
from .model import (
    Audience,
    Document,
    Finding,
    GlossaryEntry,
    PerAudience,
    Quote,
    Study,
)
from .phrasebook import describe_methods, regimen_lines, section_title
from .rules import load_rules


@dataclass
class StudyView:
    study: Study
    methods: list[str]
    findings: list[str]
    limitations: list[str]
    labels: list = field(default_factory=list)
    reference: str = ""
    regimens: list[str] = field(default_factory=list)  # what each arm had, any kind


@dataclass
class View:
    audience: Audience
    doc: Document
    studies: list[StudyView]
    key_findings: list[str]
    caveat_texts: list[tuple[str, str]]
    means: list[str]
    does_not_mean: list[str]
    unknowns: list[str]
    quotes: list[Quote]
    glossary: list[GlossaryEntry]
    date: str
    help: HelpSection | None = None  # heading and lines chosen by rules/help_lines.yaml
    titles: dict[str, str] = field(default_factory=dict)  # section titles for 1 or many studies

    def text(self, item: PerAudience | None) -> str:
        return (item.for_(self.audience) or "") if item else ""


def finding_text(finding: Finding, study: Study, audience: Audience) -> str:
    """A finding's wording for one audience with its figures filled in."""
    template = {"clinician": finding.clinician, "patient": finding.plain,
                "press": finding.press or finding.plain}[audience]
    return finding.fill(template, study.participants.n, audience)


def reference(study: Study) -> str:
    parts = [study.short_name]
    if study.title:
        parts.append(study.title)
    where = ", ".join(str(p) for p in (study.journal, study.year) if p)
    if where:
        parts.append(where)
    return ". ".join(parts) + "."


def _texts(items: list[PerAudience], audience: Audience) -> list[str]:
    return [t for t in (i.for_(audience) for i in items) if t]


def used_terms(glossary: list[GlossaryEntry], texts: list[str]) -> list[GlossaryEntry]:
    """The glossary entries whose term (or an alias) the reader actually meets, in file order."""
    prose = " ".join(texts).lower()

    def met(entry: GlossaryEntry) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(t.lower())}(?:s|es)?(?!\w)", prose)
                   for t in (entry.term, *entry.aliases))

    return [g for g in glossary if met(g)]


def build_view(doc: Document, audience: Audience) -> View:
    studies = []
    for study in doc.studies:
        findings = [finding_text(f, study, audience) for f in doc.findings if f.study == study.id]
        studies.append(StudyView(
            study=study,
            methods=describe_methods(study, audience),
            findings=findings,
            limitations=_texts(study.limitations, audience),
            labels=evidence_labels(study),
            reference=reference(study),
            regimens=regimen_lines(study, audience),
        ))
    key = [finding_text(f, doc.study(f.study), audience) for f in doc.findings if f.key]
    mandatory = mandatory_caveats(doc, audience)
    mandatory_ids = {c.id for c in mandatory}
    # Mandatory caveats first, then the others that have wording for this reader.
    shown = mandatory + [c for c in doc.caveats
                         if c.id not in mandatory_ids and c.text.for_(audience)]
    texts = [*key, *(c.text.for_(audience) or "" for c in shown),
             *(t for sv in studies for t in (*sv.methods, *sv.findings, *sv.limitations)),
             *_texts([doc.background, *( [doc.why_it_matters] if doc.why_it_matters else []),
                      *doc.means, *doc.does_not_mean, *doc.unknowns], audience)]
    if audience == "press":
        texts += [doc.press.headline, doc.press.lede]
    return View(
        audience=audience,
        doc=doc,
        studies=studies,
        key_findings=key,
        caveat_texts=[(c.id, c.text.for_(audience) or "") for c in shown],
        means=_texts(doc.means, audience),
        does_not_mean=_texts(doc.does_not_mean, audience),
        unknowns=_texts(doc.unknowns, audience),
        quotes=[q for q in doc.quotes if audience in q.audiences],
        glossary=used_terms(doc.glossary, texts),
        date=(doc.date or dt.date.today()).isoformat(),
        help=help_section(doc, audience),
        titles={key: section_title(key, audience, len(doc.studies))
                for key in ("methods", "synthesis", "findings")}
        | {"regimen": load_rules("phrasebook")["regimen"]["heading"][
            "one" if len(doc.studies) == 1 else "many"]},
    )
