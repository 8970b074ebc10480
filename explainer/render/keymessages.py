"""Key messages: the few statements every output opens with, per audience.

A key message names the findings and caveats it rests on; its ``{name}`` placeholders take
those findings' figures (worded as natural frequencies for patients), so a key message
types no number of its own. It goes through the claim guard like any prose, and it may not
rest only on findings whose evidence comes from weak sources (a spun copy, an AI-generated
text, a news story about a study with no DOI): such claims are attributed in the body text,
never made a key message.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass

from ..document.load import LoadedDocument
from ..document.model import Audience, Document, Figure, Finding, KeyMessage
from ..problems import Problem
from .figures_text import figure_text

Loc = tuple[str | int, ...]
WEAK_KINDS = frozenset({"ai_explainer", "copy"})
NEWS_KINDS = frozenset({"news", "news_summary", "other"})


@dataclass(frozen=True)
class Message:
    """A key message as the reader sees it."""

    text: str
    action: bool
    rests_on: tuple[str, ...]


def fill_text(template: str, figures: dict[str, Figure], audience: Audience,
              n: int | None = None) -> str:
    """``template`` with ``{name}`` filled from ``figures``, worded for ``audience``."""
    values = {name: figure_text(fig, audience, figures) for name, fig in figures.items()}
    if n is not None:
        values["n"] = str(n)
    return template.format_map(values)


def message_figures(doc: Document, msg: KeyMessage) -> dict[str, Figure]:
    findings = {f.id: f for f in doc.findings}
    figures: dict[str, Figure] = {}
    for ref in msg.rests_on:
        if ref in findings:
            for name, fig in findings[ref].figures.items():
                figures.setdefault(name, fig)
    return figures


def render_message(doc: Document, msg: KeyMessage, audience: Audience) -> Message:
    return Message(fill_text(msg.text, message_figures(doc, msg), audience), msg.action,
                   tuple(msg.rests_on))


def messages_of(doc: Document) -> Iterator[tuple[Loc, Audience, KeyMessage]]:
    """Every key message with its key path and audience."""
    km = doc.key_messages
    if km.patient:
        for i, m in enumerate(km.patient.messages):
            yield ("key_messages", "patient", "messages", i), "patient", m
    if km.clinician:
        for part in ("answer", "implications"):
            for i, m in enumerate(getattr(km.clinician, part)):
                yield ("key_messages", "clinician", part, i), "clinician", m
    if km.press:
        yield ("key_messages", "press", "story"), "press", km.press.story
        for i, m in enumerate(km.press.numbers):
            yield ("key_messages", "press", "numbers", i), "press", m


def weak_only(doc: Document, finding: Finding) -> bool:
    """True when every evidence source of ``finding`` is weak."""
    study = next((s for s in doc.studies if s.id == finding.study), None)
    sources = {s.id: s for s in doc.sources}

    def weak(source_id: str) -> bool:
        src = sources.get(source_id)
        if src is None:
            return False  # the reference check reports it
        return src.kind in WEAK_KINDS or (src.kind in NEWS_KINDS and not (study and study.doi))

    return all(weak(ev.source) for ev in finding.evidence)


def key_message_problems(loaded: LoadedDocument) -> list[Problem]:
    from ..guards.claims import guard_text

    doc = loaded.doc
    problems: list[Problem] = []
    findings = {f.id: f for f in doc.findings}
    caveats = {c.id for c in doc.caveats}
    for loc, audience, msg in messages_of(doc):
        for j, ref in enumerate(msg.rests_on):
            if ref not in findings and ref not in caveats:
                problems.append(loaded.problem((*loc, "rests_on", j),
                                               f"no finding or caveat with id {ref!r}"))
            elif ref in findings and weak_only(doc, findings[ref]):
                problems.append(loaded.problem(
                    (*loc, "rests_on", j),
                    f"finding {ref!r} rests only on weak sources (spun copy, AI text or news "
                    "with no DOI): attribute it in the text, do not make it a key message"))
        figures = message_figures(doc, msg)
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(msg.text) if f is not None}
        except ValueError as exc:
            problems.append(loaded.problem((*loc, "text"), f"bad placeholder: {exc}"))
            continue
        missing = sorted(names - set(figures))
        for name in missing:
            problems.append(loaded.problem(
                (*loc, "text"), f"placeholder {{{name}}} is not a figure of the findings this "
                                "message rests on"))
        if missing:
            continue
        text = fill_text(msg.text, figures, audience)
        correlational = any(findings[r].kind == "correlational" for r in msg.rests_on
                            if r in findings)
        for hit in guard_text(text, doc, True if correlational else None):
            problems.append(loaded.problem((*loc, "text"),
                                           f"{hit.rule}: “{hit.matched}”. {hit.reason} "
                                           f"Fix: {hit.fix}", hit.level))
    return problems
