"""Describe "what the researchers did" from a study's structured fields, per audience.

The wording lives in rules/phrasebook.yaml keyed by design, so templates never hard-code
a study description and a new topic reads well without template edits.
"""

from __future__ import annotations

from .model import Audience, Study
from .rules import load_rules


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fields(study: Study) -> dict[str, str]:
    book = load_rules("phrasebook")
    p = study.participants
    comparator = study.comparator
    blinding = book["blinding"][study.blinding]
    timepoints = _join(study.timepoints)
    return {
        "n": str(p.n),
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
        "timepoints": timepoints or "not stated",
        "timepoints_plain": f" Checks were made at these times: {timepoints}."
        if timepoints else "",
        "journal": study.journal or "",
        "blinding": blinding["clinician"],
        "blinding_suffix": blinding["suffix"],
        "blinding_plain": blinding["patient"],
        "subjects_plain": book["subjects_plain"][study.subjects],
        "short_name": study.short_name,
        "doses": _join(
            [f"{d.drug} {d.amount}" + (f" {d.route}" if d.route else "") for d in study.doses]
        ),
    }


def describe_methods(study: Study, audience: Audience) -> list[str]:
    """Sentences (as paragraphs) that say how the study was done, for one audience."""
    book = load_rules("phrasebook")
    fields = _fields(study)
    paragraphs = [" ".join(book["designs"][study.design][audience].split()).format(**fields)]
    if audience == "patient" and fields["blinding_plain"]:
        paragraphs[0] += " " + fields["blinding_plain"]
    if study.measures:
        paragraphs.append(book["measured"][audience].format(**fields))
    return paragraphs
