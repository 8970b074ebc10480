"""The per-audience view of a document: what each template shows, already worded.

Templates stay dumb: every figure is substituted here from structured fields, every
"what they did" sentence comes from the phrasebook, and which caveats appear is decided
by the caveat rules, not by the template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..document.model import (
    Audience,
    Document,
    Finding,
    GlossaryEntry,
    PerAudience,
    Quote,
    Study,
)
from ..guards.caveats import mandatory_caveats
from ..rules import load_rules
from .help_lines import HelpSection, help_section
from .keymessages import Message, render_message
from .labels import evidence_labels
from .phrasebook import describe_methods, regimen_lines, section_title


@dataclass
class StudyView:
    study: Study
    methods: list[str]
    findings: list[str]
    limitations: list[str]
    labels: list = field(default_factory=list)
    reference: str = ""
    regimens: list[str] = field(default_factory=list)  # what each arm had, any kind
    doi: str | None = None  # the study's DOI, or the published record's from a record check
    doi_from_record: bool = False
    cited: str = ""  # how this reader sees the study named: cited_name()


def cited_name(short_name: str, audience: str) -> str:
    """The study's name as this reader sees it: patients get "and colleagues", not the Latin
    "et al." (independent rating, December 2026); other readers get the short name as is."""
    return short_name.replace(" et al.", " and colleagues") if audience == "patient" else short_name


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
    key_messages: list[Message] = field(default_factory=list)
    key_numbers: list[Message] = field(default_factory=list)  # press
    question: str = ""  # clinician: the clinical question
    purpose: str = ""  # patient: what the leaflet is for
    implications: list[Message] = field(default_factory=list)  # clinician
    questions: list[str] = field(default_factory=list)  # patient: to ask the care team
    findings_table: list[dict] = field(default_factory=list)  # clinician summary of findings
    press_facts: list[dict] = field(default_factory=list)  # press: fact + attribution
    press_studies: list[dict] = field(default_factory=list)  # press: facts grouped by study
    references: list[dict] = field(default_factory=list)  # source documents, as readers see them
    visual: object = None  # visual.Visual for the patient leaflet
    action_visual: list = field(default_factory=list)  # visual.ActionStep: actions with icons
    produced: str = ""  # "Published November 2026. Next review November 2029."
    editors: dict = field(default_factory=dict)  # press notes to editors, filled in
    help_first: bool = False  # help lines mandatory: the help box goes on page 1
    record: list[dict] = field(default_factory=list)  # what the published record says
    source_notes: list[dict] = field(default_factory=list)  # clinician: how results reached us
    record_studies: list[dict] = field(default_factory=list)  # clinician: trials from record checks
    caveat_groups: list[dict] = field(default_factory=list)  # patient: one topic per section

    def text(self, item: PerAudience | None) -> str:
        return (item.for_(self.audience) or "") if item else ""


def finding_text(finding: Finding, study: Study, audience: Audience) -> str:
    """A finding's wording for one audience with its figures filled in."""
    template = {"clinician": finding.clinician, "patient": finding.plain,
                "press": finding.press or finding.plain}[audience]
    return finding.fill(template, study.participants.n, audience)


NOT_STATED = "not stated in the sources"
_KIND_WORDS = {"press_release": "press release", "news": "news report",
               "news_summary": "news summary", "ai_explainer": "AI-generated explainer",
               "paper": "journal article", "preprint": "preprint",
               "copy": "reworded copy of another source", "other": "document"}


def date_in_words(iso: str) -> str:
    """"1 December 2026" from "2026-12-01": how readers write dates (the footer)."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B %Y')}"


def month_year(day: dt.date) -> str:
    return day.strftime("%B %Y")


def produced_line(doc: Document, review_years: int = 3) -> str:
    """Producer dates in words (PIF TICK): "Published November 2026. Next review ...". The
    next review defaults to ``review_years`` after publication."""
    published = doc.producer.published or doc.date
    if published is None:
        return ""
    review = doc.producer.next_review or published.replace(year=published.year + review_years)
    return f"Published {month_year(published)}. Next review {month_year(review)}."


def source_references(doc: Document) -> list[dict]:
    """Source documents named the way a reader would: title, publisher, date, kind."""
    refs = []
    for s in doc.sources:
        kind = _KIND_WORDS.get(s.kind, "document")
        refs.append({"title": s.title or f"Untitled {kind}",
                     "publisher": s.publisher or "", "url": s.url or "",
                     "date": month_year(s.date) if s.date else "date not given",
                     "kind": kind})
    return refs


def attribution(study: Study) -> str:
    """"Nature Medicine, 2025, 26 people": where a key fact comes from."""
    parts = [study.journal or "journal not named"]
    parts.append(str(study.year) if study.year else "year not given")
    parts.append(f"{study.participants.n:,} people")
    return ", ".join(parts)


def outcome_of(study: Study, text: str) -> str:
    """The outcome a finding reports: the first measure the clinician text names."""
    for m in study.measures:
        if (m.abbreviation and m.abbreviation in text) or m.name.lower() in text.lower():
            return m.abbreviation or m.name
    if not study.measures:
        return "not stated"
    return study.measures[0].abbreviation or study.measures[0].name


def _first_sentence(text: str) -> str:
    from ..readability.sentences import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def record_doi(doc: Document, study_id: str) -> str | None:
    """The DOI of the published record checked for this study (or one of its findings)."""
    about = {study_id} | {f.id for f in doc.findings if f.study == study_id}
    return next((r.published.doi for r in doc.record_checks
                 if r.about in about and r.published.doi), None)


def record_studies(doc: Document) -> list[dict]:
    """Trials met only through a record check (no study entry of their own), so that a brief
    which cites one in its answer also lists it under References; one entry per DOI."""
    cited = {s.doi or record_doi(doc, s.id) for s in doc.studies}
    out: list[dict] = []
    for r in doc.record_checks:
        p = r.published
        if not p.doi or p.doi in cited:
            continue
        cited.add(p.doi)
        where = ", ".join(str(v) for v in (p.journal, p.year) if v)
        out.append({"reference": ". ".join(x for x in (p.cited_as, p.title, where) if x) + ".",
                    "doi": p.doi})
    return out


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


def defined_inline(term: str, text: str) -> bool:
    """True when ``text`` explains ``term`` where it uses it: "X is a ...", "Xs are ...",
    "X (..." or "X, a ...". CDC Clear Communication Index item 7 and PEMAT-P item 4 ask for
    terms explained where the reader meets them, not only in a list at the end."""
    t = re.escape(term)
    return re.search(rf"(?<!\w){t}s?\s+(?:is|are)\s+(?:a|an|the|[a-z]+\s+[a-z]+\s+(?:that|for))\b"
                     rf"|(?<!\w){t}s?\s+\(|(?<!\w){t}s?,\s+(?:a|an)\s", text, re.I) is not None


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
            doi=study.doi or record_doi(doc, study.id),
            doi_from_record=not study.doi and bool(record_doi(doc, study.id)),
            cited=cited_name(study.short_name, audience),
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
    extra = _key_parts(doc, audience)
    texts += [m.text for m in extra.get("key_messages", [])]
    glossary = extra.pop("glossary", None)
    caveat_texts = [(c.id, c.text.for_(audience) or "") for c in shown]
    # A caveat a key message already says word for word is not repeated below it: the key
    # messages are in the main part, where the caveat proof looks.
    said = " ".join(" ".join(m.text.split()) for m in
                    (*extra.get("key_messages", []), *extra.get("implications", [])))
    caveat_texts = [(cid, t) for cid, t in caveat_texts if " ".join(t.split()) not in said]
    if audience in ("patient", "clinician"):
        extra["caveat_groups"] = caveat_groups(doc, caveat_texts, audience)
    return View(**extra,
        audience=audience,
        doc=doc,
        studies=studies,
        key_findings=key,
        caveat_texts=caveat_texts,
        means=_texts(doc.means, audience),
        does_not_mean=_texts(doc.does_not_mean, audience),
        unknowns=_texts(doc.unknowns, audience),
        quotes=[q for q in doc.quotes if audience in q.audiences],
        glossary=glossary if glossary is not None else used_terms(doc.glossary, texts),
        date=(doc.date or dt.date.today()).isoformat(),
        help=help_section(doc, audience),
        titles={key: section_title(key, audience, len(doc.studies))
                for key in ("methods", "synthesis", "findings")}
        | {"regimen": load_rules("phrasebook")["regimen"]["heading"][
            "one" if len(doc.studies) == 1 else "many"]},
    )


def caveat_groups(doc: Document, caveat_texts: list[tuple[str, str]],
                  audience: Audience = "patient") -> list[dict]:
    """Caveats in single-topic sections (rules/communication.yaml): each caveat under the
    section of its kind, empty sections left out, unmatched kinds in the `rest` section."""
    rules = load_rules("communication")[f"{audience}_caveat_sections"]
    kind = {c.id: c.kind for c in doc.caveats}
    rest = next((r for r in rules if r.get("rest")), rules[-1])
    groups: dict[str, list[tuple[str, str]]] = {r["section"]: [] for r in rules}
    for cid, text in caveat_texts:
        home = next((r for r in rules if kind.get(cid) in r["kinds"]), rest)
        groups[home["section"]].append((cid, text))
    return [{"section": r["section"], "heading": r["heading"], "items": groups[r["section"]],
             "unknowns": bool(r.get("unknowns"))}
            for r in rules if groups[r["section"]] or r.get("unknowns")]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _source_notes(doc: Document) -> list[dict]:
    """Per study, how its results reached us (not GRADE domains, so apart from the rating)."""
    from .certainty import certainty

    grades = [(s, certainty(doc, s)) for s in doc.studies]
    # A source problem every study shares is said once, after the list ("common").
    common = set.intersection(*(set(g.sources) for _, g in grades)) if len(grades) > 1 else set()
    notes = [{"study": s.short_name, "certainty": g.text,
              "sources": "; ".join(n for n in g.sources if n not in common)} for s, g in grades]
    if common:
        notes.append({"study": "All studies", "certainty": "",
                      "sources": "; ".join(n for n in grades[0][1].sources if n in common)})
    return notes


def _key_parts(doc: Document, audience: Audience) -> dict:
    """The reader-first parts of a view: key messages, tables, boxes and dates."""
    from .certainty import certainty
    from .visual import action_visual, patient_visual

    km = doc.key_messages
    parts: dict = {"references": source_references(doc), "produced": produced_line(doc),
                   "record": [{"finding": r.finding, "title": r.published.title,
                               "journal": r.published.journal, "year": r.published.year,
                               "doi": r.published.doi, "url": r.published.url}
                              for r in doc.record_checks],
                   "help_first": any(c.kind == "help-line" and audience in c.mandatory_for
                                     for c in doc.caveats) and bool(doc.help)}
    if audience == "patient":
        if km.patient:
            parts["key_messages"] = [render_message(doc, m, audience) for m in km.patient.messages]
            parts["questions"] = list(km.patient.questions)
            parts["purpose"] = km.patient.purpose or ""
        parts["visual"] = patient_visual(doc)
        parts["action_visual"] = action_visual(doc)
        # The leaflet shows key findings only: explain the words of what it shows.
        shown = [*(m.text for m in parts.get("key_messages", [])), *parts.get("questions", []),
                 *(finding_text(f, doc.study(f.study), audience) for f in doc.findings if f.key),
                 *(c.text.patient or "" for c in doc.caveats),
                 *_texts([doc.background, *doc.means, *doc.unknowns], audience)]
        # Terms the leaflet explains where it uses them need no second entry at the end.
        said = " ".join(" ".join(t.split()) for t in shown)
        parts["glossary"] = [g for g in used_terms(doc.glossary, shown)
                             if not defined_inline(g.term, said)]
    elif audience == "clinician":
        if km.clinician:
            parts["question"] = km.clinician.question
            parts["key_messages"] = [render_message(doc, m, audience) for m in km.clinician.answer]
            parts["implications"] = [render_message(doc, m, audience)
                                     for m in km.clinician.implications]
        # Summary of findings: the key findings, then any other finding on a primary or
        # safety outcome not yet in the table (GRADE SoF tables list the critical outcomes
        # and harms), each with its certainty in GRADE domains and its source problems apart.
        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for f in doc.findings:
            study = doc.study(f.study)
            text = finding_text(f, study, audience)
            outcome = outcome_of(study, text)
            roles = {m.abbreviation or m.name: m.role for m in study.measures}
            if not f.key and (roles.get(outcome) not in ("primary", "safety")
                              or (study.id, outcome) in seen):
                continue
            seen.add((study.id, outcome))
            grade = certainty(doc, study)
            rows.append({"outcome": _capital(outcome), "study": study.short_name,
                         "n": f"{study.participants.n:,}", "result": _first_sentence(text),
                         "certainty": grade.level, "reason": grade.brief,
                         "reason_full": grade.text, "sources": "; ".join(grade.sources),
                         "safety": roles.get(outcome) == "safety", "key": f.key})
        # Trials known only from the published record (no source text) get their row too.
        rows.extend({"outcome": _capital(r.summary_row.outcome), "study": r.summary_row.study,
                     "n": f"{r.summary_row.n:,}", "result": r.summary_row.result,
                     "certainty": r.summary_row.certainty, "reason": r.summary_row.certainty,
                     "reason_full": "", "sources": "published record", "safety": False,
                     "key": False} for r in doc.record_checks if r.summary_row)
        # Benefits first, harms last, as a SoF table reads.
        rows.sort(key=lambda r: r["safety"])
        parts["findings_table"] = rows
        parts["source_notes"] = _source_notes(doc)
        parts["record_studies"] = record_studies(doc)
    else:
        if km.press:
            parts["key_messages"] = [render_message(doc, km.press.story, audience)]
            parts["key_numbers"] = [render_message(doc, m, audience) for m in km.press.numbers]
        # Every fact with its study (journal, year, n) and the study's SMC labels.
        # Key findings and any other with its own press wording: reporters get every result
        # the caveats speak of (glutamate, blood flow), each with its study.
        parts["press_facts"] = [{"text": finding_text(f, doc.study(f.study), audience),
                                 "source": attribution(doc.study(f.study)),
                                 "labels": [label.text for label in
                                            evidence_labels(doc.study(f.study))]}
                                for f in doc.findings if f.key or f.press]
        # The same facts by study: the attribution once, above its facts (saves a reporter
        # reading "Nature Medicine, 2025, 26 people" under every line).
        by_study = []
        for study in doc.studies:
            facts = [finding_text(f, study, audience) for f in doc.findings
                     if f.study == study.id and (f.key or f.press)]
            if facts:
                by_study.append({"name": study.short_name, "source": attribution(study),
                                 "labels": [label.text for label in evidence_labels(study)],
                                 "facts": facts})
        parts["press_studies"] = by_study
        e = doc.editors
        dates = list(e.publication_dates) or [
            f"{s.short_name}: {s.journal or 'journal not named'}, {s.year}"
            for s in doc.studies if s.year]
        parts["editors"] = {
            "press_contact": e.press_contact or NOT_STATED,
            "funding": e.funding or NOT_STATED,
            "conflicts": e.conflicts or NOT_STATED,
            "embargo": e.embargo or NOT_STATED,
            "independent_comment": e.independent_comment or NOT_STATED,
            "costs": e.costs or NOT_STATED,
            "publication_dates": dates or [NOT_STATED],
            "dois": [{"study": s.short_name, "doi": s.doi or record_doi(doc, s.id),
                      "from_record": not s.doi and bool(record_doi(doc, s.id))}
                     for s in doc.studies],
        }
    return parts
