"""`explainer score FILE --html OUT.html`: the build report's highlighted view, for any draft.

Each file gets its verdict against the audience's target, its body scores, scores per section,
the parts scored apart, every diagnostic with its line and column, and its text sentence by
sentence: hard sentences highlighted (through the shared ``highlight.html`` partial), with
plainer-word suggestions and passive verbs marked inline. The page is self-contained, uses only
the report palette (every text pairing meets WCAG AA), and the template gets plain data only.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build.report import PALETTE
from .diagnosis import passive_spans
from .formulas import METRICS
from .plain_words import plain_word_spans

if TYPE_CHECKING:
    import jinja2

    from .diagnosis import SentenceScore
    from .score_files import Scored
    from .targets import Target

TEMPLATE = "score_report.html"
MAX_FIXES = 300  # listed per file; the JSON has them all


@cache
def _environment() -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ..render.template_cache import template_cache
    from ..render.templates_dir import builtin_templates

    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(builtin_templates())), autoescape=True,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.bytecode_cache = template_cache(env, [builtin_templates()])  # compiled once per content
    return env


def _anchor(text: str, index: int) -> str:
    return f"f{index}-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x")


def _parts(text: str) -> list[dict[str, str]]:
    """The sentence cut into pieces, each plainer word or passive verb with its note."""
    from .inflection import suggest

    marks: list[tuple[int, int, str]] = []
    for start, written, previous, entry in plain_word_spans(text):
        advice = suggest(written, entry.plain, previous)
        note = ("try " if advice.swap else "plainer: ") + advice.describe()
        marks.append((start, start + len(written), note))
    for start, phrase in passive_spans(text):
        marks.append((start, start + len(phrase), "passive: say who does it"))
    marks.sort()
    parts: list[dict[str, str]] = []
    at = 0
    for start, end, note in marks:
        if start < at:
            continue  # overlaps a mark already made
        if start > at:
            parts.append({"text": text[at:start], "note": ""})
        parts.append({"text": text[start:end], "note": note})
        at = end
    if at < len(text):
        parts.append({"text": text[at:], "note": ""})
    return parts


def _sentence(s: SentenceScore) -> dict[str, Any]:
    return {"text": s.text, "level": s.level, "grade": s.grade, "parts": _parts(s.text)}


def _metric_rows(scores: Any, target: Target) -> list[dict[str, Any]]:
    missed = {m.metric for m in target.check(scores)}
    rows = []
    for key, m in METRICS.items():
        limit = target.limits.get(key)
        direction = "at least" if m.easier == "higher" else "at most"
        rows.append({
            "label": m.label,
            "value": f"{scores.value(key):.1f}",
            "limit": f"{direction} {limit:g}" if limit is not None else "none",
            "over": key in missed,
            "status": "reported" if limit is None else "✗ over" if key in missed else "✓ ok",
        })
    return rows


def _file_view(index: int, item: Scored, target: Target) -> dict[str, Any]:
    score = item.score
    sections = []
    section_rows = []
    for s in score.sections:
        missed = {m.metric for m in target.check(s.scores)}
        section_rows.append({
            "id": s.id, "words": s.scores.words, "sentences": s.scores.sentences,
            "cells": [{"value": f"{s.scores.value(k):.1f}", "over": k in missed}
                      for k in METRICS],
        })
        sections.append({"id": s.id, "headings": list(s.headings),
                         "blocks": [[_sentence(x) for x in block] for block in s.blocks]})
    apart = [{"name": name, "words": sc.words, "sentences": sc.sentences}
             for name, sc in score.apart.items()]
    rule = target.sentences
    return {
        "id": _anchor(item.name, index),
        "name": item.name,
        "misses": [str(m) for m in score.misses],
        "words": score.body.words,
        "sentences": score.body.sentences,
        "metrics": _metric_rows(score.body, target),
        "section_rows": section_rows,
        "apart": apart,
        "fixes": [{"line": d.line, "col": d.col, "level": d.level, "message": d.message}
                  for d in item.diagnostics[:MAX_FIXES]],
        "more": max(0, len(item.diagnostics) - MAX_FIXES),
        "sections": sections,
        "rule": {"hard": rule.hard, "very_hard": rule.very_hard, "min_words": rule.min_words},
    }


def render_score_report(audience: str, target: Target, results: list[Scored]) -> str:
    names = [r.name for r in results]
    title = "Readability: " + (names[0] if len(names) == 1 else f"{len(names)} files")
    return _environment().get_template(TEMPLATE).render(
        title=title,
        audience=audience,
        target_text=target.describe(),
        palette=list(PALETTE.items()),
        metric_labels=[m.label for m in METRICS.values()],
        files=[_file_view(i, r, target) for i, r in enumerate(results)],
    )


def write_score_report(path: Path, audience: str, target: Target, results: list[Scored]) -> None:
    """Render and write atomically: the last good report stays if anything fails."""
    from ..build.output import write_atomic

    write_atomic(path, render_score_report(audience, target, results))
