"""Describe "what the researchers did" from a study's structured fields, per audience.

The wording lives in rules/phrasebook.yaml keyed by design, so templates never hard-code
a study description and a new topic reads well without template edits.
"""

from __future__ import annotations

import re

from ..document.model import Arm, Audience, Dose, Study
from ..rules import load_rules

_DOUBLED = re.compile(r"([.,;:!?])(?:\s*[.,;:!?])+")
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?)])")


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fields(study: Study) -> dict[str, str]:
    # Values go inside the phrasebook's sentences: a trailing stop in a field ("type 2
    # diabetes.") would end the sentence early, so it is dropped.
    sentences = {"timepoints_plain", "blinding_plain"}
    return {k: v if k in sentences else v.rstrip(" .;,:") for k, v in _raw_fields(study).items()}


def _raw_fields(study: Study) -> dict[str, str]:
    book = load_rules("phrasebook")
    p = study.participants
    comparator = study.comparator
    blinding = book["blinding"][study.blinding]
    timepoints = _join(study.timepoints)
    return {
        "n": f"{p.n:,}",
        "condition": p.condition,
        "condition_plain": p.plain or p.condition,
        "population": p.population or "participants",
        "ages": p.ages or "",
        "intervention": study.intervention.name,
        "intervention_plain": study.intervention.plain or study.intervention.name,
        "comparator": comparator.name if comparator else "no comparator",
        "comparator_plain": (comparator.plain or comparator.name) if comparator else "nothing",
        "measures": _join(
            [f"{m.name} ({m.abbreviation})" if m.abbreviation else m.name for m in study.measures]
        ),
        "measures_plain": _join([m.plain or m.name for m in study.measures]),
        "timepoints": timepoints or (f"follow-up {study.follow_up}" if study.follow_up
                                     else "not stated"),
        "timepoints_plain": f" Checks were made at these times: {timepoints}."
        if timepoints else (f" People were followed for {study.follow_up}."
                            if study.follow_up else ""),
        "journal": study.journal or "",
        "blinding": blinding["clinician"],
        "blinding_suffix": blinding["suffix"],
        "blinding_plain": blinding["patient"],
        "subjects_plain": book["subjects_plain"][study.subjects],
        "short_name": study.short_name,
        "doses": _join(
            [f"{d.what} {d.amount}" + (f" {d.route}" if d.route else "") for d in study.doses]
        ),
    }


def tidy(text: str) -> str:
    """One space between words, no space before punctuation, never a doubled stop or
    comma (a field ending in '.' before the template's own '.'), first letter capital."""
    text = " ".join(text.split())
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _DOUBLED.sub(lambda m: m.group(0)[-1] if m.group(0)[-1] in "!?" else m.group(1), text)
    return text[:1].upper() + text[1:]


def section_title(key: str, audience: Audience, count: int) -> str:
    """A heading worded for one study or many."""
    entry = load_rules("phrasebook")["section_titles"][key][audience]
    return entry["one" if count == 1 else "many"]


def _regimen_parts(arm: Arm | Dose) -> list[str]:
    book = load_rules("phrasebook")["regimen"]
    regimen = arm.regimen if isinstance(arm, Arm) else None
    parts = []
    for name in book["parts"]:
        value = getattr(regimen, name, None) if regimen else getattr(arm, name, None)
        if isinstance(arm, Dose) and name == "frequency":
            value = arm.timing
        if value:
            parts.append(book["duration_prefix"] + value if name == "duration"
                         and not value.lower().startswith(("for ", "over ", "until "))
                         else value)
    return parts


def regimen_lines(study: Study, audience: Audience) -> list[str]:
    """'What was given' for each arm of any kind: what, how much, how often, how long.

    Arms with a regimen come first; dose entries (the older, drug-only form) follow."""
    lines = []
    for arm in (study.intervention, study.comparator):
        if arm is None or arm.regimen is None:
            continue
        name = arm.name if audience == "clinician" else (arm.plain or arm.name)
        parts = _regimen_parts(arm)
        lines.append(tidy(f"{name}: {', '.join(parts)}" if parts else name))
    for dose in study.doses:
        lines.append(tidy(f"{dose.what}: {', '.join(_regimen_parts(dose))}"))
    return lines


def describe_methods(study: Study, audience: Audience) -> list[str]:
    """Sentences (as paragraphs) that say how the study was done, for one audience."""
    book = load_rules("phrasebook")
    fields = _fields(study)
    paragraphs = [book["designs"][study.design][audience].format(**fields)]
    if audience == "patient" and fields["blinding_plain"]:
        paragraphs[0] += " " + fields["blinding_plain"]
    if study.measures:
        paragraphs.append(book["measured"][audience].format(**fields))
    return [tidy(p) for p in paragraphs]
