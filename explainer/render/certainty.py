"""Certainty of a study's evidence in GRADE words, from rules/certainty.yaml.

Reasons are GRADE domains only (risk of bias, inconsistency, indirectness, imprecision,
publication bias). How we came to know a result (a press release, an unconfirmed peer
review) is a source problem, not a GRADE domain: it is reported apart as ``sources``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document.model import Document, Study


@dataclass(frozen=True)
class Certainty:
    level: str  # "high", "moderate", "low", "very low"
    reasons: tuple[str, ...]
    short: tuple[str, ...] = ()  # the domains, for a table cell
    sources: tuple[str, ...] = ()  # source problems, reported beside the rating

    @property
    def text(self) -> str:
        if not self.reasons:
            return self.level.capitalize()
        return f"{self.level.capitalize()}: rated down for {'; '.join(self.reasons)}"

    @property
    def brief(self) -> str:
        if not self.short:
            return self.level.capitalize()
        return f"{self.level.capitalize()} ({'; '.join(self.short)})"

    @property
    def words(self) -> str:
        """GRADE's standard wording for a statement at this certainty (may, probably...)."""
        from ..rules import load_rules

        return load_rules("certainty")["wording"][self.level]


def certainty(doc: Document, study: Study) -> Certainty:
    from ..rules import load_rules

    rules = load_rules("certainty")
    levels: list[str] = rules["levels"]
    level = levels.index(rules["start"].get(study.design, "low"))
    reasons, short = [], []
    if study.grade:  # a reviewer's judgement replaces the automatic domain rules
        for concern in study.grade:
            serious = "very serious " if concern.levels == 2 else ""
            reasons.append(f"{serious}{concern.domain} ({concern.reason})")
            short.append(f"{serious}{concern.domain}")
            level = max(0, level - concern.levels)
    else:
        for rule in rules["downgrades"]:
            if study.participants.n < rule["when"]["participants_below"]:
                reasons.append(rule["reason"])
                short.append(rule["short"])
                level = max(0, level - 1)
    kinds = {s.id: s.kind for s in doc.sources}
    notes = []
    for rule in rules["source_checks"]:
        when = rule["when"]
        hit = (("status_in" in when and study.status in when["status_in"])
               or (when.get("no_paper_source") and not any(
                   kinds.get(s) in ("paper", "preprint") for s in study.reported_by)))
        if hit:
            notes.append(rule["note"])
    return Certainty(levels[level], tuple(reasons), tuple(short), tuple(notes))
