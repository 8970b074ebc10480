"""One visual for the patient leaflet, drawn from the data as SVG.

CDC Clear Communication Index item 4 and PEMAT-P items 15-17 ask for a visual that supports
the main message, with a caption. We draw it from structured data so it can never disagree
with the text: an icon array for a "k out of n" count a key message rests on (the format
risk-communication research favours for small counts); two icon arrays of the same size for
a rate per 1,000 (or fewer) and the rate it is compared with (Galesic, Garcia-Retamero &
Gigerenzer 2009, Health Psychol 28:210-216: icon arrays help readers compare two risks);
else the two visits of a crossover trial, or, for a cohort study, people followed over time.
The SVG goes into the page as an ``<img>`` with alt text, which WeasyPrint tags as a
Figure with /Alt in the PDF structure tree and browsers expose as an image with a name.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..document.model import Document, Figure
from .figures_text import count_in_group, figure_text

FILL = "#0b5394"   # 7.9:1 on white: the people the count is about
EMPTY = "#4a4a4a"  # outline of the others, 8.9:1 on white
_COLS = 6


@dataclass(frozen=True)
class Visual:
    src: str  # data: URI of the SVG
    alt: str
    caption: str
    svg: str
    wide: bool = False  # two grids side by side: printed across the text column


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def icon_array(count: int, of: int, title: str) -> str:
    """``of`` person icons in rows of six, the first ``count`` filled."""
    size, gap = 34, 10
    rows = -(-of // _COLS)
    width = _COLS * (size + gap) + gap
    height = rows * (size + 20 + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>']
    for i in range(of):
        x = gap + (i % _COLS) * (size + gap) + size / 2
        y = gap + (i // _COLS) * (size + 20 + gap)
        filled = i < count
        fill = FILL if filled else "#ffffff"
        parts.append(f'<circle cx="{x:g}" cy="{y + 8:g}" r="8" fill="{fill}" stroke="'
                     f'{FILL if filled else EMPTY}" stroke-width="2"/>')
        parts.append(f'<path d="M{x - 14:g} {y + 44:g} q0 -26 14 -26 q14 0 14 26 z" '
                     f'fill="{fill}" stroke="{FILL if filled else EMPTY}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def two_visits(title: str, differs: bool, labels: tuple[tuple[str, str, str], ...] = ()) -> str:
    """Two panels side by side, the two visits of a crossover trial: a pill (filled: the
    active blocker; outlined: the dummy), an arrow, a drip, an arrow and a face. ``labels``
    names each panel's icons (what came first, the treatment, the outcome) at a size that
    prints near body size; the full sentence is in the caption."""
    width, height = 460, 176

    def label(x: float, y: int, text: str, anchor: str = "middle") -> str:
        return (f'<text x="{x:g}" y="{y}" font-size="19" text-anchor="{anchor}" fill="#1a1a1a" '
                f'font-family="DejaVu Sans, sans-serif">{escape(text)}</text>')

    def named(x: int, words: tuple[str, str, str]) -> str:
        first, middle, outcome = words
        return (label(x + 10, 30, first, "start") + label(x + 100, 166, middle)
                + (label(x + 200, 30, outcome, "end") if outcome else ""))

    def visit(x: int, active: bool, smile: bool) -> str:
        pill = FILL if active else "#ffffff"
        mouth = "q18 16 36 0" if smile else "h36"
        y = 24
        return (f'<rect x="{x}" y="6" width="210" height="164" rx="10" fill="#ffffff" '
                f'stroke="{FILL}" stroke-width="3"/>'
                f'<rect x="{x + 14}" y="{y + 60}" width="40" height="22" rx="11" fill="{pill}" '
                f'stroke="{FILL}" stroke-width="3"/>'
                f'<path d="M{x + 60} {y + 71} h16 m-6 -6 l6 6 l-6 6" fill="none" '
                f'stroke="{EMPTY}" stroke-width="3"/>'
                f'<rect x="{x + 86}" y="{y + 44}" width="28" height="40" rx="6" fill="#ffffff" '
                f'stroke="{EMPTY}" stroke-width="3"/>'
                f'<path d="M{x + 100} {y + 84} v22" stroke="{EMPTY}" stroke-width="3"/>'
                f'<path d="M{x + 122} {y + 71} h16 m-6 -6 l6 6 l-6 6" fill="none" '
                f'stroke="{EMPTY}" stroke-width="3"/>'
                f'<circle cx="{x + 172}" cy="{y + 71}" r="26" fill="#ffffff" stroke="{FILL}" '
                f'stroke-width="3"/><circle cx="{x + 163}" cy="{y + 64}" r="3" fill="{FILL}"/>'
                f'<circle cx="{x + 181}" cy="{y + 64}" r="3" fill="{FILL}"/>'
                f'<path d="M{x + 154} {y + 80} {mouth}" fill="none" stroke="{FILL}" '
                f'stroke-width="3"/>')

    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
            + visit(8, True, False) + visit(242, False, differs)
            + "".join(named(x, w) for x, w in zip((8, 242), labels, strict=False)) + "</svg>")


def two_grids(count: int, other: int, per: int, title: str) -> str:
    """Two grids of ``per`` small squares side by side, the first ``count`` (left) and
    ``other`` (right) filled: two rates on one scale, drawn without text (the caption says
    which is which)."""
    cols = 50 if per > 100 else 10
    rows = -(-per // cols)
    cell, gap, pad = 5, 1, 12
    grid_w, grid_h = cols * (cell + gap), rows * (cell + gap)
    width, height = 2 * grid_w + 3 * pad, grid_h + 2 * pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>']
    for g, filled in enumerate((count, other)):
        x0 = pad + g * (grid_w + pad)
        for i in range(per):
            x = x0 + (i % cols) * (cell + gap)
            y = pad + (i // cols) * (cell + gap)
            colour = FILL if i < filled else "#d9d9d9"
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                         f'fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def followed_over_time(title: str) -> str:
    """A cohort study: a group of people, a long arrow with year marks, the same group."""
    width, height = 460, 120

    def group(x0: int) -> str:
        out = []
        for i in range(6):
            x = x0 + (i % 3) * 30 + 15
            y = 14 + (i // 3) * 50
            out.append(f'<circle cx="{x}" cy="{y + 8}" r="7" fill="{FILL}"/>'
                       f'<path d="M{x - 12} {y + 40} q0 -22 12 -22 q12 0 12 22 z" '
                       f'fill="{FILL}"/>')
        return "".join(out)

    ticks = "".join(f'<path d="M{x} 52 v16" stroke="{EMPTY}" stroke-width="2"/>'
                    for x in range(140, 340, 28))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
            + group(10) + f'<path d="M120 60 h220 m-12 -12 l12 12 l-12 12" fill="none" '
            f'stroke="{EMPTY}" stroke-width="3"/>' + ticks + group(355) + "</svg>")


def _rate_figures(doc: Document) -> tuple[Figure, Figure] | None:
    """A rate per 1,000 or fewer and the rate it is compared with (``versus``), from the
    findings of the patient key message marked ``visual: true``."""
    km = doc.key_messages.patient
    findings = {f.id: f for f in doc.findings}
    for m in (km.messages if km else []):
        if not m.visual:
            continue
        for fid in m.rests_on:
            f = findings.get(fid)
            for fig in (f.figures.values() if f else []):
                other = f.figures.get(fig.versus or "") if f else None
                if (fig.per and other is not None and other.per == fig.per
                        and fig.per <= 1000 and fig.of is None):
                    return fig, other
    return None


def _count_figure(doc: Document) -> tuple[Figure, str] | None:
    """The first "k out of n" figure among the findings the patient key messages rest on."""
    km = doc.key_messages.patient
    ids = [r for m in km.messages for r in m.rests_on] if km else []
    ids += [f.id for f in doc.findings if f.key]
    findings = {f.id: f for f in doc.findings}
    for fid in ids:
        f = findings.get(fid)
        if f is None:
            continue
        for fig in f.figures.values():
            if fig.of is not None and isinstance(fig.value, int) and fig.of <= 60:
                return fig, fid
    return None


def _message_about(doc: Document, study_id: str) -> str:
    km = doc.key_messages.patient
    findings = {f.id: f.study for f in doc.findings}
    messages = sorted(km.messages, key=lambda m: not m.visual) if km else []
    for m in messages:
        about = any(findings.get(r) == study_id for r in m.rests_on)
        if about and not m.action and "{" not in m.text:
            return m.text
    return ""


# Words that start an action sentence and read lower-case after "What you can do:".
_LOWER_AFTER_COLON = frozenset({"If", "When", "Before", "Tell", "Ask", "Talk", "Call", "Do",
                                "Keep", "Take", "Bring", "Write"})


def _action_for(doc: Document, study_id: str) -> str:
    """The last sentence of the first patient action message resting on a finding of
    ``study_id``: what the reader can do with the picture (PEMAT-P item 25 asks that the
    material say how to use a diagram to act). Empty when no action rests on the study."""
    from ..readability.sentences import split_sentences

    km = doc.key_messages.patient
    findings = {f.id: f.study for f in doc.findings}
    for m in (km.messages if km else []):
        if m.action and "{" not in m.text and any(findings.get(r) == study_id
                                                  for r in m.rests_on):
            said = split_sentences(" ".join(m.text.split()))
            return said[-1] if said else ""
    return ""


def patient_visual(doc: Document) -> Visual | None:
    found = _count_figure(doc)
    if found is not None:
        fig, _ = found
        assert fig.of is not None and isinstance(fig.value, int)
        words = count_in_group(fig.value, fig.of)
        what = fig.label or "people"
        alt = (f"A picture of {fig.of} people. {fig.value} are coloured in: {words} {what}.")
        svg = icon_array(fig.value, fig.of, alt)
        return Visual(_data_uri(svg), alt, f"{words.capitalize()} {what}.", svg)
    rates = _rate_figures(doc)
    if rates is not None:
        fig, other = rates
        assert fig.per is not None
        this, that = figure_text(fig, "patient"), figure_text(other, "patient")
        what = f" Coloured: {fig.label}." if fig.label else ""
        caption = (f"Each square is one person.{what} Left, {fig.group or 'one group'}: "
                   f"{this}. Right, {other.group or 'the other group'}: {that}.")
        alt = f"Two groups of {fig.per:,} squares. {caption}"
        svg = two_grids(round(float(fig.value)), round(float(other.value)), fig.per, alt)
        return Visual(_data_uri(svg), alt, caption, svg, wide=True)
    for study in doc.studies:
        if study.design in ("crossover", "randomized_crossover") and study.comparator:
            first = study.intervention.plain or study.intervention.name
            second = study.comparator.plain or study.comparator.name
            # The outcome comes from a patient key message resting on this study, if any:
            # the picture never says more than the text does.
            outcome = _message_about(doc, study.id)
            # The caption takes the message's last sentence: the outcome, not a definition.
            from ..readability.sentences import split_sentences

            said = split_sentences(" ".join(outcome.split())) if outcome else []
            outcome = said[-1] if said else outcome
            alt = (f"Each person came twice. Left, one visit: {first}. "
                   f"Right, the other visit: {second}." + (f" {outcome}" if outcome else ""))
            # The caption names both visits in full and the outcome (PEMAT-P item 17).
            caption = (f"Each person came twice. Left: {first}. Right: {second}."
                       + (f" {outcome}" if outcome else ""))
            act = _action_for(doc, study.id)
            if act:
                first_word = act.split(" ", 1)[0]
                if first_word in _LOWER_AFTER_COLON:
                    act = act[:1].lower() + act[1:]
                caption += f" What you can do: {act}"
            svg = two_visits(alt, differs=bool(outcome))  # labels would print under 12 pt
            return Visual(_data_uri(svg), alt, caption, svg)
    for study in doc.studies:
        if study.design == "cohort" and study.follow_up:
            n = f"{study.participants.n:,}"
            caption = (f"The study followed {n} people for {study.follow_up}. People chose "
                       "for themselves what to do; the study only watched.")
            alt = f"A group of people, an arrow through the years, the same group. {caption}"
            return Visual(_data_uri(followed_over_time(alt)), alt, caption,
                          followed_over_time(alt))
    return None


@dataclass(frozen=True)
class ActionStep:
    """One action as a step: an icon (an image with alt text) beside the action's own words,
    which stay page text so they print at body size and the proofs can read them."""

    src: str  # data: URI of the icon
    alt: str
    text: str


_PHONE = (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" '
          f'role="img"><title>Telephone</title><path d="M9 5 q-7 16 6 29 q13 12 22 4 l-3 -8 '
          f'l-8 -2 l-3 5 q-9 -4 -13 -13 l5 -3 l-2 -8 z" fill="{FILL}"/></svg>')
_NO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" '
       'role="img"><title>Do not</title><circle cx="20" cy="20" r="16" fill="none" '
       'stroke="#a00000" stroke-width="5"/><path d="M9 31 L31 9" stroke="#a00000" '
       'stroke-width="5"/></svg>')


def action_visual(doc: Document) -> list[ActionStep]:
    """The leaflet's actions as steps with icons (PEMAT-P items 25-26): one per patient key
    message marked action, a telephone for the one resting on the help lines, a "do not" sign
    for the others; the words are the message's first sentence."""
    from ..readability.sentences import split_sentences

    km = doc.key_messages.patient
    if not km:
        return []
    help_ids = {c.id for c in doc.caveats if c.kind == "help-line"}
    steps = []
    for m in km.messages:
        if m.action and "{" not in m.text:
            first = (split_sentences(" ".join(m.text.split())) or [m.text])[0]
            phone = bool(help_ids & set(m.rests_on))
            steps.append(ActionStep(_data_uri(_PHONE if phone else _NO),
                                    "Telephone" if phone else "Do not", first))
    return steps
