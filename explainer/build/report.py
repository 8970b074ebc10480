"""The readability report: one self-contained HTML page per topic.

For each audience it shows the body scores against the target, a small bar chart per metric and
section (inline SVG with a title, a description and the same figures in a table), the parts
scored apart, what to fix first, and the text with hard sentences highlighted (yellow = hard,
red = very hard, each also tagged in words and underlined differently, so colour is not the only
cue). Every colour comes from ``PALETTE`` and every text/background pair in ``PAIRS`` meets WCAG
AA; the template uses no other colours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from ..readability.formulas import METRICS

if TYPE_CHECKING:
    import jinja2

    from ..readability.scoring import DocumentScore
    from ..readability.targets import Target

TEMPLATE = "report.html"

PALETTE: dict[str, str] = {
    "ink": "#1a1a1a",
    "muted": "#4a4a4a",
    "background": "#ffffff",
    "accent": "#0b5394",
    "panel": "#f2f2f2",
    "hard-bg": "#fff59d",
    "very-hard-bg": "#ffcdd2",
    "ok-bar": "#1d6b3a",
    "over-bar": "#b3261e",
    "ok-ink": "#1d5c33",
    "ok-bg": "#e8f3ec",
    "over-ink": "#8a1c14",
    "over-bg": "#fdecea",
}
# (text, background, where) pairs the stylesheet draws: WCAG AA needs 4.5:1 for text.
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("ink", "background", "body text"),
    ("muted", "background", "notes and axis labels"),
    ("accent", "background", "links"),
    ("ink", "panel", "table headings and legend"),
    ("muted", "panel", "notes in panels"),
    ("ink", "hard-bg", "hard sentences"),
    ("ink", "very-hard-bg", "very hard sentences"),
    ("ok-ink", "ok-bg", "meets-target verdict"),
    ("over-ink", "over-bg", "over-target verdict"),
    ("over-ink", "background", "over-target values"),
)
# Bars and the target line must stand out from the page: 3:1 (WCAG 1.4.11, non-text).
NON_TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("ok-bar", "background", "bars within target"),
    ("over-bar", "background", "bars over target"),
    ("ink", "background", "target line"),
)

_CHART_WIDTH = 560
_LABEL_WIDTH = 150
_BAR_HEIGHT = 18
_BAR_GAP = 8
_TOP = 26
_BOTTOM = 28


@dataclass
class ReportEntry:
    """One explainer in the report: its topic, audience, score and the targets it was held to."""

    topic: str
    audience: str
    score: DocumentScore
    targets: Mapping[str, Target] | Target | None = None
    pages: int | None = None  # main-part pages (WeasyPrint's layout); None without a PDF
    total_pages: int | None = None
    words: int | None = None  # main-part body words
    budget: str = ""
    budget_misses: list[Any] = field(default_factory=list)
    communication: list[Any] = field(default_factory=list)  # commcheck.ItemResult

    @property
    def target(self) -> Target:
        from ..readability.targets import Target

        if isinstance(self.targets, Target):
            return self.targets
        if self.targets is not None and self.audience in self.targets:
            return self.targets[self.audience]
        return self.score.target


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    over: bool
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    metric: str
    limit: float | None
    limit_x: float | None
    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (value, x)
    width: int
    height: float
    label_width: int
    bar_height: int


def _chart(entry_id: str, metric: str, rows: list[tuple[str, float]], limit: float | None,
           audience: str) -> Chart:
    m = METRICS[metric]
    top = max([v for _, v in rows] + ([limit] if limit is not None else []) + [1.0])
    scale_max = float(max(5, int(top / 5 + 1) * 5)) if metric != "fre" else 100.0
    plot = _CHART_WIDTH - _LABEL_WIDTH - 60

    def x(v: float) -> float:
        return round(_LABEL_WIDTH + max(0.0, min(v, scale_max)) / scale_max * plot, 1)

    def missed(v: float) -> bool:
        if limit is None:
            return False
        return v < limit if m.easier == "higher" else v > limit

    bars = [Bar(label, round(v, 1), missed(v), _TOP + i * (_BAR_HEIGHT + _BAR_GAP),
                round(x(v) - _LABEL_WIDTH, 1)) for i, (label, v) in enumerate(rows)]
    height = _TOP + len(rows) * (_BAR_HEIGHT + _BAR_GAP) + _BOTTOM
    step = 20 if scale_max > 50 else 5 if scale_max > 15 else 2
    ticks = [(float(t), x(t)) for t in range(0, int(scale_max) + 1, step)]
    if limit is None:
        goal = "no limit for this audience"
    else:
        goal = f"target {'at least' if m.easier == 'higher' else 'at most'} {limit:g}"
    parts = [f"{b.label} {b.value:g}{' (over target)' if b.over else ''}" for b in bars]
    return Chart(
        id=f"{entry_id}-{metric}",
        title=f"{m.label} by section, {audience} explainer",
        description=f"{m.label}, {goal}. " + "; ".join(parts) + ".",
        metric=m.label,
        limit=limit,
        limit_x=x(limit) if limit is not None else None,
        bars=bars,
        ticks=ticks,
        width=_CHART_WIDTH,
        height=height,
        label_width=_LABEL_WIDTH,
        bar_height=_BAR_HEIGHT,
    )


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _view(index: int, entry: ReportEntry) -> dict[str, Any]:
    score, target = entry.score, entry.target
    entry_id = f"{_anchor(entry.topic)}-{_anchor(entry.audience)}-{index}"
    limits = target.limits
    chart_metrics = list(limits) or ["fk", "smog"]
    rows_for = {k: [(s.id, s.scores.value(k)) for s in score.sections] for k in chart_metrics}
    body_misses = {m.metric for m in target.check(score.body)}
    metrics = [
        {
            "key": key,
            "label": m.label,
            "value": score.body.value(key),
            "limit": limits.get(key),
            "direction": "at least" if m.easier == "higher" else "at most",
            "over": key in body_misses,
        }
        for key, m in METRICS.items()
    ]
    sections = []
    for s in score.sections:
        misses = {m.metric for m in target.check(s.scores)}
        sections.append({"id": s.id, "scores": s.scores, "over": misses, "blocks": s.blocks,
                         "headings": s.headings})
    return {
        "id": entry_id,
        "topic": entry.topic,
        "audience": entry.audience,
        "target": target,
        "target_text": target.describe(),
        "misses": target.check(score.body),
        "score": score,
        "metrics": metrics,
        "charts": [_chart(entry_id, k, rows_for[k], limits.get(k), entry.audience)
                   for k in chart_metrics if rows_for[k]],
        "chart_keys": chart_metrics,
        "sections": sections,
        "apart": score.apart,
        "diagnosis": score.diagnosis,
        "rule": target.sentences,
        "pages": entry.pages,
        "total_pages": entry.total_pages,
        "words": entry.words,
        "budget": entry.budget,
        "budget_misses": [str(m) for m in entry.budget_misses],
        "communication": _communication(entry.communication),
    }


def _communication(results: list[Any]) -> dict[str, Any]:
    """Items grouped by instrument, with the automatable ones counted."""
    groups: dict[str, list[Any]] = {}
    for r in results:
        groups.setdefault(r.instrument, []).append(r)
    out = []
    for name, items in groups.items():
        auto = [r for r in items if r.status in ("met", "not met")]
        out.append({"name": name, "results": [r for r in items if r.status != "human"],
                    "human": [r for r in items if r.status == "human"],
                    "met": sum(r.status == "met" for r in auto), "decided": len(auto)})
    return {"instruments": out}


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    from ..render.templates_dir import builtin_templates

    # The built-in templates only (report.html includes report_common.css, which
    # score_report.html shares); explainer.render.templates_dir finds them.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(builtin_templates())),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["num"] = lambda v, digits=1: f"{v:.{digits}f}"
    from ..render.template_cache import template_cache

    env.bytecode_cache = template_cache(env, [builtin_templates()])  # compiled once per content
    return env


@cache
def _template() -> jinja2.Template:
    return _environment().get_template(TEMPLATE)


def render_report(results: list[ReportEntry]) -> str:
    """A self-contained ``report.html`` for ``results`` (one entry per audience)."""
    template = _template()
    topics = list(dict.fromkeys(r.topic for r in results))
    return template.render(
        title="Readability report: " + ", ".join(topics) if topics else "Readability report",
        entries=[_view(i, r) for i, r in enumerate(results)],
        palette=PALETTE,
        metric_labels={k: m.label for k, m in METRICS.items()},
    )
