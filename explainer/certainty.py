"""Certainty of a study's evidence in GRADE words, from rules/certainty.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Document, Study


@dataclass(frozen=True)
class Certainty:
    level: str  # "high", "moderate", "low", "very low"
    reasons: tuple[str, ...]
    short: tuple[str, ...] = ()  # the reasons in two or three words, for a table cell

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


def certainty(doc: Document, study: Study) -> Certainty:
    from .rules import load_rules

    rules = load_rules("certainty")
    levels: list[str] = rules["levels"]
    level = levels.index(rules["start"].get(study.design, "low"))
    kinds = {s.id: s.kind for s in doc.sources}
    reasons, short = [], []
    for rule in rules["downgrades"]:
        when = rule["when"]
        hit = (("participants_below" in when and study.participants.n < when["participants_below"])
               or ("status_in" in when and study.status in when["status_in"])
               or (when.get("no_paper_source") and not any(
                   kinds.get(s) in ("paper", "preprint") for s in study.reported_by)))
        if hit:
            reasons.append(rule["reason"])
            short.append(rule.get("short", rule["reason"]))
            level = max(0, level - 1)
    return Certainty(levels[level], tuple(reasons), tuple(short))
