"""Help lines and their heading from rules keyed to the topic's conditions.

``rules/help_lines.yaml`` says, per condition group (suicide and self-harm, cancer ...),
which heading each reader gets and which lines to show when the file gives none. A topic
that no rule fits shows only the file's own help lines, under a neutral heading, and none
when it has none, so a cancer leaflet never carries suicide-reporting wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from ..document.model import Audience, Document, HelpLine


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Headings(_Strict):
    patient: str
    clinician: str
    press: str


class HelpRule(_Strict):
    id: str
    conditions: list[str] = Field(min_length=1)
    headings: Headings
    lines: list[HelpLine] = Field(default_factory=list)
    source: str


class HelpRules(_Strict):
    rules: list[HelpRule]
    fallback_headings: Headings


@dataclass(frozen=True)
class HelpEntry:
    name: str
    contact: str
    region: str | None
    hours: str | None


@dataclass(frozen=True)
class HelpSection:
    heading: str
    entries: tuple[HelpEntry, ...]
    rule: str | None  # the rule that chose the heading, None for the neutral one


@cache
def load_help_rules() -> HelpRules:
    from ..guards.caveats import load_caveat_rules
    from ..rules import load_rules

    rules = HelpRules.model_validate(load_rules("help_lines"))
    known = load_caveat_rules().condition_terms
    unknown = sorted({c for r in rules.rules for c in r.conditions if c not in known})
    if unknown:
        raise ValueError(f"help_lines.yaml: no condition_terms in caveat_rules.yaml for {unknown}")
    return rules


# "adults without known heart disease or cancer" names cancer only to rule it out.
_RULED_OUT = re.compile(r"\b(?:without|no|not|free\s+of|excluding|except)\b[^;.()]*", re.I)


def matching_rule(doc: Document) -> HelpRule | None:
    from ..guards.caveats import _condition_groups, _topic_conditions, load_caveat_rules

    terms = load_caveat_rules().condition_terms
    texts = [_RULED_OUT.sub(" ", t) for t in _topic_conditions(doc)]
    groups = set().union(*(_condition_groups(t, terms) for t in texts))
    return next((r for r in load_help_rules().rules if set(r.conditions) & groups), None)


def _entry(line: HelpLine) -> HelpEntry:
    # A region already said in the name or contact is not said again: "(Canada) (Canada)".
    region = line.region
    if region and region.lower() in f"{line.name} {line.contact}".lower():
        region = None
    return HelpEntry(line.name, line.contact, region, line.hours)


def help_section(doc: Document, audience: Audience) -> HelpSection | None:
    """The help section for this reader, or None when nothing fits the topic."""
    rule = matching_rule(doc)
    lines = doc.help or (rule.lines if rule else [])
    if not lines:
        return None
    headings = rule.headings if rule else load_help_rules().fallback_headings
    return HelpSection(getattr(headings, audience), tuple(_entry(h) for h in lines),
                       rule.id if rule else None)
