"""Do the sources agree about a study? Per study, the facts each source gives (nearest the
study's own quotes and names), compared field by field with each other and with the findings
file. A disagreement nobody declared under ``disagreements:`` is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .facts import FIELD_WORDS, FIELDS, Fact, FactField, extract_facts, same_value

if TYPE_CHECKING:
    from ..document.load import LoadedDocument, Loc
    from ..document.model import Document
    from .quotes import SourceText
    from .screening import ScreenReport


WINDOW = 2000  # characters: how far from a study's quotes a fact may be in a multi-study source


@dataclass(frozen=True)
class SourceFact:
    source_id: str
    file: str
    fact: Fact


@dataclass
class SourceDisagreement:
    """Sources (or the findings file) giving different values for one field of one study."""

    study: str
    field: FactField
    facts: list[SourceFact]
    declared: str | None
    known: bool
    between: Literal["sources", "file"]  # sources among themselves, or sources vs the file

    def describe(self) -> str:
        said = "; ".join(f'{sf.file}:{sf.fact.line} says {sf.fact.value} ("{sf.fact.excerpt}")'
                         for sf in self.facts)
        declared = f"; the findings file says {self.declared}" if self.declared else ""
        return f"{self.field}: {said}{declared}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study, "field": self.field, "between": self.between,
            "declared": self.declared, "known": self.known,
            "sources": [{"source": sf.source_id, "file": sf.file, "line": sf.fact.line,
                         "value": sf.fact.value, "excerpt": sf.fact.excerpt} for sf in self.facts],
        }


def _study_sources(doc: Document) -> dict[str, list[str]]:
    """Study id -> ids of the sources that report it: reported_by, then the sources quoted as
    evidence for the study or its findings. Disagreement claims are left out: a source may be
    quoted there only to contrast it with another study."""
    out: dict[str, list[str]] = {}
    for study in doc.studies:
        sids = out.setdefault(study.id, list(study.reported_by))
        sids += [ev.source for ev in study.evidence if ev.source not in sids]
    for finding in doc.findings:
        sids = out.setdefault(finding.study, [])
        sids += [ev.source for ev in finding.evidence if ev.source not in sids]
    return out


def _anchors(doc: Document, study_id: str, source_id: str, source: SourceText) -> list[int]:
    """Offsets in a source's text that are about this study: its quotes and its names."""
    from .quotes import find_quote

    text = source.text
    study = doc.study(study_id)
    quotes = [ev.quote for ev in study.evidence if ev.source == source_id]
    quotes += [ev.quote for f in doc.findings if f.study == study_id
               for ev in f.evidence if ev.source == source_id]
    quotes += [ev.quote for d in doc.disagreements if d.study == study_id
               for ev in d.claims if ev.source == source_id]
    if len(doc.studies) == 1:  # with one study, every quote of the file is about it
        quotes += [ev.quote for c in doc.caveats for ev in c.evidence if ev.source == source_id]
    offsets = [o for q in quotes if (o := find_quote(q, source)) is not None]
    names = [study.doi, study.lead_author]
    surname = re.match(r"\s*([A-Z][\w'’-]+)", study.short_name)
    if surname and "et al" in study.short_name:
        names.append(surname.group(1))
    for name in filter(None, names):
        offsets += [m.start() for m in re.finditer(re.escape(name), text)]
    return sorted(offsets)


# Words that open a passage about some other study ("The findings chime with a study
# published in March ..."): counts after them, before the study is quoted again, are not its.
_OTHER_STUDY = re.compile(
    r"\b(?:another|a\s+separate|a\s+different|an?\s+(?:earlier|previous|older|similar|"
    r"separate|second|other)|(?:chimes?|agrees?|fits?)\s+with\s+an?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:study|studies|trial|trials|analysis|review|research)\b|\ba\s+study\s+published\s+in\b",
    re.IGNORECASE)


def _about_another_study(text: str, offset: int, anchors: list[int]) -> bool:
    before = [a for a in anchors if a <= offset]
    return _OTHER_STUDY.search(text, max(before) if before else 0, offset) is not None


def _pick(facts: list[Fact], anchors: list[int], limit: int | None,
          text: str = "") -> dict[str, Fact]:
    """Per field, the fact nearest the study's anchors (first in the text when there are none).

    A sample size that comes after the source turns to another study ("chime with a study
    published in March ... 382,535 people"), and before it quotes this study again, is not
    compared."""
    chosen: dict[str, tuple[int, Fact]] = {}
    for fact in facts:
        if fact.field == "n" and text and _about_another_study(text, fact.offset, anchors):
            continue
        dist = min((abs(fact.offset - a) for a in anchors), default=fact.offset)
        if limit is not None and dist > limit:
            continue
        if fact.field not in chosen or dist < chosen[fact.field][0]:
            chosen[fact.field] = (dist, fact)
    return {fld: f for fld, (_, f) in chosen.items()}


def _declared(doc: Document, study_id: str) -> dict[str, str | None]:
    s = doc.study(study_id)
    return {"journal": s.journal, "year": str(s.year) if s.year else None,
            "status": s.status, "n": str(s.participants.n)}


def _is_known(doc: Document, study_id: str, fld: str) -> bool:
    if fld == "status" and doc.study(study_id).status == "disputed":
        return True
    words = FIELD_WORDS[fld]
    return any(d.study == study_id and words & set(re.findall(r"[a-z]+", d.field.lower()))
               for d in doc.disagreements)


def _field_loc(index: int, fld: str) -> Loc:
    return ("studies", index, "participants", "n") if fld == "n" else ("studies", index, fld)


def compare_studies(
    loaded: LoadedDocument, texts: dict[str, SourceText], report: ScreenReport
) -> None:
    doc = loaded.doc
    reporters = _study_sources(doc)
    studies_of: dict[str, int] = {}
    for sids in reporters.values():
        for sid in sids:
            studies_of[sid] = studies_of.get(sid, 0) + 1
    all_facts = {sid: extract_facts(source.text) for sid, source in texts.items()}
    for index, study in enumerate(doc.studies):
        per_source = _facts_per_source(doc, study.id, reporters.get(study.id, []), texts,
                                       studies_of, all_facts)
        report.facts[study.id] = {sid: list(f.values()) for sid, f in per_source.items()}
        declared = _declared(doc, study.id)
        for fld in FIELDS:
            said = [SourceFact(sid, Path(report.files[sid]).name, facts[fld])
                    for sid, facts in per_source.items() if fld in facts]
            between = _disagreement(fld, _same_value_groups(fld, said), declared[fld])
            if between is None:
                continue
            dis = SourceDisagreement(study.id, fld, said, declared[fld],
                                     _is_known(doc, study.id, fld), between)
            report.disagreements.append(dis)
            if dis.known:
                continue
            what = ("sources disagree about" if between == "sources"
                    else "the sources and this file disagree about")
            report.problems.append(loaded.problem(
                _field_loc(index, fld),
                f"{what} {study.id} {dis.describe()}; check the sources, then declare it under "
                f"disagreements: (study: {study.id}, field: {fld})", "warning"))


def _facts_per_source(doc: Any, study_id: str, sids: list[str], texts: dict[str, SourceText],
                      studies_of: dict[str, int], all_facts: dict[str, list[Fact]]
                      ) -> dict[str, dict[str, Fact]]:
    """The facts each source text gives about one study, per field. A source that reports
    several studies counts only near the study's anchors, and not at all without any: which
    study its facts are about cannot be told."""
    per_source: dict[str, dict[str, Fact]] = {}
    for sid in sids:
        if sid not in texts:
            continue
        anchors = _anchors(doc, study_id, sid, texts[sid])
        shared = studies_of.get(sid, 0) > 1
        if shared and not anchors:
            continue
        per_source[sid] = _pick(all_facts[sid], anchors, WINDOW if shared else None,
                                texts[sid].text)
    return per_source


def _same_value_groups(fld: str, said: list[SourceFact]) -> list[list[SourceFact]]:
    """The sources' facts grouped by value (the same by ``same_value``), in first-seen order."""
    groups: list[list[SourceFact]] = []
    for sf in said:
        group = next((g for g in groups if same_value(fld, g[0].fact.value, sf.fact.value)),
                     None)
        if group is None:
            groups.append([sf])
        else:
            group.append(sf)
    return groups


def _disagreement(fld: str, groups: list[list[SourceFact]], value: Any
                  ) -> Literal["sources", "file"] | None:
    """Who disagrees: the sources among themselves, the sources with the file's ``value``
    (a status declared disputed agrees with any), or nobody (None)."""
    if len(groups) >= 2:
        return "sources"
    if (groups and value is not None and not (fld == "status" and value == "disputed")
            and not same_value(fld, value, groups[0][0].fact.value)):
        return "file"
    return None
