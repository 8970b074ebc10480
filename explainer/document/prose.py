"""Every reader-facing prose field of a findings file, found by walking the model.

The walk is generic: any ``PerAudience`` value and any string (or list of strings) field of
any model part is prose unless its name says it is an identifier, a reference or a
structured value. A part added to the model later (key messages, a new note field) is
covered without editing this module; the claim guard and the number lock share it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from .model import AUDIENCES, Audience, Document, Evidence, Figure, PerAudience, Quote

Loc = tuple[str | int, ...]

# Field names that never hold prose a reader sees as sentences.
NOT_PROSE = frozenset({
    "id", "study", "source", "file", "kind", "url", "doi", "language", "version", "topic",
    "sources_dir", "design", "status", "blinding", "subjects", "role", "audiences",
    "mandatory_for", "reported_by", "accepted", "accepted_warnings", "guidance", "field",
    "values", "match", "reason", "measure", "group", "versus", "derived",
    "number_exceptions", "off_label_for", "domain",
})
# Prose a reader sees, but where typed digits are names, contacts or structured values
# (a phone number, "type 2 diabetes", "0.5 mg/kg"), so the number lock leaves them alone.
NUMBERS_FREE = frozenset({
    "contact", "hours", "name", "condition", "population", "ages", "journal", "short_name",
    "lead_author", "authors", "term", "aliases", "publisher", "speaker", "label", "unit",
    "timing", "amount", "route", "frequency", "duration", "delivery", "timepoints",
    "abbreviation", "handling", "follow_up", "conditions", "region", "title",
})
# Editor-sheet material (source notes, status notes, checks against the published record):
# the leak check proves it never reaches a public output, and its digits are the record's
# (a DOI's year, a time stamp, a published count), so the number lock leaves it alone.
EDITOR_ONLY = frozenset({"notes", "status_note", "record_checks"})
# Titles are in: a source's title is printed in every source list, so a hyped headline
# would fail the build's guard on the rendered text; `check` must say so first. Their
# digits are a citation's, so the number lock leaves titles alone (the document's too).
FINDING_KEYS: dict[str, Audience] = {"clinician": "clinician", "plain": "patient",
                                     "press": "press"}


@dataclass(frozen=True)
class ProseField:
    loc: Loc
    text: str
    audience: Audience | None  # None: every reader may see it
    field: str  # the field's own name, e.g. "notes" or "patient"
    finding: int | None = None  # index of the finding whose statement this is

    @property
    def numbers_locked(self) -> bool:
        return not any(isinstance(p, str) and (p in NUMBERS_FREE or p in EDITOR_ONLY)
                       for p in self.loc)


def _walk(value: object, loc: Loc, audience: Audience | None) -> Iterator[ProseField]:
    # Depth first in field order, with a stack rather than nested generators: every field
    # found would otherwise pass up through one generator per level of the model.
    stack: list[tuple[object, Loc]] = [(value, loc)]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            if value.strip():
                field = next((p for p in reversed(loc) if isinstance(p, str)), "")
                yield ProseField(loc, value, audience, field)
        elif isinstance(value, (Evidence, Quote, Figure)):
            continue  # verbatim quotes and structured figures are checked elsewhere
        elif isinstance(value, PerAudience):
            yield from _wordings(value, loc)
        elif isinstance(value, BaseModel):
            stack.extend((getattr(value, name), (*loc, name))
                         for name in reversed(_prose_names(type(value))))
        else:
            stack.extend(reversed(list(_items(value, loc))))


@cache
def _prose_names(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in NOT_PROSE)


def _wordings(value: PerAudience, loc: Loc) -> Iterator[ProseField]:
    for aud in AUDIENCES:
        text = getattr(value, aud)
        if text:  # explicit wordings only: press falling back to patient is the same text
            yield ProseField((*loc, aud), text, aud, aud)


def _items(value: object, loc: Loc) -> Iterator[tuple[object, Loc]]:
    """The items of a list, tuple or mapping, with their key paths (anything else holds
    none)."""
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield item, (*loc, i)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield item, (*loc, str(key))


def prose(doc: Document) -> Iterator[ProseField]:
    """Every prose field, findings' statements raw (with their ``{placeholders}``)."""
    for field in _walk(doc, (), None):
        if field.loc[0] == "findings" and len(field.loc) == 3 and field.loc[2] in FINDING_KEYS:
            key = str(field.loc[2])
            yield ProseField(field.loc, field.text, FINDING_KEYS[key], key, int(field.loc[1]))
        elif field.loc[0] == "quotes":
            continue  # quoted speech is attributed, not ours: the guard treats it apart
        else:
            yield field
