"""Editor-only material: kept out of the public explainers, shown on an editor's sheet.

Source notes ("ignore everything after END"), screening results, how a disagreement was
resolved, why a flagged source was accepted, record checks, source ids and raw file names
are for the person who edits the findings file. ``find_leaks`` proves none of it reaches a
patient, clinician or press output; ``render_editor_sheet`` writes it to ``editor.html``
beside the readability report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..document.model import Document
from ..textnorm import fold

_NOTE_WORDS = 7  # a note is found when its first words appear in the output


def _norm(text: str) -> str:
    return " ".join(fold(text).lower().split())


def editor_notes(doc: Document) -> Iterator[tuple[str, str]]:
    """(where, text) of every note meant for editors only."""
    for s in doc.sources:
        for note in s.notes:
            yield f"note on source {s.id}", note
    for study in doc.studies:
        if study.accepted:
            yield f"acceptance note of study {study.id}", study.accepted
        if study.status_note:
            yield f"status note of study {study.id}", study.status_note
    for f in doc.findings:
        if f.accepted:
            yield f"acceptance note of finding {f.id}", f.accepted
    for c in doc.caveats:
        if c.accepted:
            yield f"acceptance note of caveat {c.id}", c.accepted
    for d in doc.disagreements:
        yield f"disagreement handling for {d.study}", d.handling
    for r in doc.record_checks:
        yield f"record check handling for {r.about}", r.handling


def internal_names(doc: Document) -> Iterator[tuple[str, str]]:
    """(what, token) of ids and file names a reader should never see."""
    for s in doc.sources:
        yield "source id", s.id
        name = s.file.replace("\\", "/").rsplit("/", 1)[-1]
        yield "source file name", name
        stem = name.rsplit(".", 1)[0]
        yield "source file name", stem
        prefix = re.match(r"\d{2,}", stem)
        if prefix and prefix.group() != stem:
            yield "source file number", prefix.group()
    for st in doc.studies:
        yield "study id", st.id


def _token_pattern(token: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/.-]){re.escape(token)}(?![\w/-]|\.\w)")


def find_leaks(doc: Document, text: str) -> list[str]:
    """One message per piece of editor-only material found in ``text`` (a public output)."""
    leaks = []
    for what, token in internal_names(doc):
        # An id that is an everyday word ("review") cannot be told from prose: only ids with
        # a digit, hyphen or underscore are looked for.
        if not re.search(r"[\d_-]", token):
            continue
        if _token_pattern(token).search(text):
            leaks.append(f"{what} {token!r} appears in a public output; name sources by title, "
                         "publisher and date (the editor sheet has the ids)")
    folded = _norm(text)
    for where, note in editor_notes(doc):
        words = _norm(note).split()
        probe = " ".join(words[:_NOTE_WORDS])
        if len(words) >= 4 and probe in folded:
            leaks.append(f"the {where} (“{' '.join(note.split()[:_NOTE_WORDS])} …”) appears in a "
                         "public output; it belongs on the editor sheet")
    return leaks


def doubled_full_stop(text: str) -> bool:
    """A '..' that is not an ellipsis: usually a template joining a sentence and a full stop."""
    return re.search(r"(?<!\.)\.\.(?!\.)", text) is not None


def sheet_data(result: Any) -> dict[str, Any]:
    """Plain data for the editor sheet template."""
    doc: Document = result.document
    return {
        "topic": result.topic,
        "title": doc.title,
        "sources": [{"id": s.id, "file": s.file, "kind": s.kind.replace("_", " "),
                     "title": s.title, "publisher": s.publisher,
                     "date": s.date.isoformat() if s.date else None, "notes": list(s.notes)}
                    for s in doc.sources],
        "screening": [str(p) for p in result.problems],
        "studies": [{"id": st.id, "name": st.short_name, "status_note": st.status_note,
                     "accepted": st.accepted, "reported_by": list(st.reported_by)}
                    for st in doc.studies],
        "accepted": [{"id": f.id, "text": f.accepted} for f in (*doc.findings, *doc.caveats)
                     if f.accepted],
        "disagreements": [{"study": d.study, "field": d.field, "claimed": list(d.values),
                           "claims": [f"{c.source}: “{c.quote}”" for c in d.claims],
                           "handling": d.handling} for d in doc.disagreements],
        "record_checks": [{"about": r.about,
                           "claim": [f"{c.source}: “{c.quote}”" for c in r.claim],
                           "reference": _reference(r.published), "doi": r.published.doi,
                           "url": r.published.url, "finding": r.finding,
                           "handling": r.handling} for r in doc.record_checks],
        "key_messages": [{"where": ".".join(str(p) for p in loc), "text": m.text,
                          "rests_on": list(m.rests_on)} for loc, _, m in _messages(doc)],
        "outputs": [{"audience": o.audience, "leaks": [p.message for p in o.problems
                                                       if p.key == "editor-material"]}
                    for o in result.outputs],
    }


def _messages(doc: Document):
    from ..render.keymessages import messages_of

    return messages_of(doc)


def _reference(ref: Any) -> str:
    parts = [p for p in (ref.title, ref.journal, str(ref.year) if ref.year else None) if p]
    return ". ".join(parts)


def render_editor_sheet(result: Any) -> str:
    from ..render.html import environment
    from ..render.sandbox import render

    env = environment(None)
    # Through the sandbox's render: a fresh time budget per sheet (a bare .render() shares one
    # budget for the whole process, which runs out ten seconds after the first sheet).
    return render(env.get_template("editor.html"), sheet_data(result))
