"""Evidence labels for a study, after the Science Media Centre's labelling system (2018).

Three labels per study, as the SMC puts at the top of a press release: peer review
status, type of study, and subjects (people, animals or cells). The wording lives in
``rules/labels.yaml``; this module only picks the entries for a study.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from ..document.model import Study

LabelKind = Literal["review", "design", "subjects"]
Tone = Literal["good", "neutral", "caution"]


@dataclass(frozen=True)
class Label:
    kind: LabelKind
    text: str
    plain_text: str
    tone: Tone


@cache
def _table() -> dict[str, dict[str, Label]]:
    from ..rules import load_rules

    data = load_rules("labels")
    table: dict[str, dict[str, Label]] = {}
    for kind in get_args(LabelKind):
        table[kind] = {}
        for value, entry in (data.get(kind) or {}).items():
            if entry.get("tone") not in get_args(Tone):
                raise ValueError(f"labels.yaml: {kind}.{value}: tone must be one of "
                                 f"{', '.join(get_args(Tone))}")
            table[kind][value] = Label(kind, entry["text"], entry["plain_text"], entry["tone"])
    return table


def _label(kind: LabelKind, value: str) -> Label:
    # A value the model gained before labels.yaml did gets a neutral label, not a crash.
    found = _table()[kind].get(value)
    return found or Label(kind, value.replace("_", " ").capitalize(), value.replace("_", " "),
                          "neutral")


def evidence_labels(study: Study) -> list[Label]:
    """Peer review status, study type and subjects, in that order."""
    return [_label("review", study.status), _label("design", study.design),
            _label("subjects", study.subjects)]
