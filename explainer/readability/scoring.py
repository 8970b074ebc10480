"""Readability of what a reader sees: scores per section, for the body, and for the parts
reported apart (headings, navigation, sources, labels), checked against the audience's target.

This is the library behind ``explainer score`` and the readability report. It scores .txt, .md,
.html, .pdf, .docx and .odt drafts and standard input, as :mod:`.drafts` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..problems import InputError, Problem
from .diagnosis import Diagnosis, SentenceScore, diagnose_sentences, score_sentence
from .formulas import Counts, Scores, count_sentence, count_sentences
from .sentences import split_block, split_blocks
from .targets import Miss, Target, load_targets

if TYPE_CHECKING:  # office and markdown reading only for drafts, not for a build's HTML
    from ..inputs.office import Paragraph
    from .drafts import Draft, Format

TEXT_SECTION = "text"  # the one section of a document that has no sections


@dataclass
class SectionScore:
    id: str
    scores: Scores
    counts: Counts
    blocks: list[list[SentenceScore]]  # body blocks, each as its scored sentences
    headings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "scores": self.scores.to_dict(), "headings": self.headings}


@dataclass
class DocumentScore:
    audience: str
    target: Target
    body: Scores
    sections: list[SectionScore]
    apart: dict[str, Scores]  # "headings", "nav" and each data-apart category
    misses: list[Miss]
    diagnosis: Diagnosis

    @property
    def over_target(self) -> bool:
        return bool(self.misses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "target": self.target.to_dict(),
            "over_target": self.over_target,
            "body": self.body.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "apart": {k: v.to_dict() for k, v in self.apart.items()},
            "misses": [m.to_dict() for m in self.misses],
            "diagnosis": self.diagnosis.to_dict(),
        }


def _target_for(audience: str, targets: dict[str, Target] | Target | None) -> Target:
    if isinstance(targets, Target):
        return targets
    targets = targets if targets is not None else load_targets()
    if audience not in targets:
        raise InputError([Problem("--audience", None, "", f"no target for audience '{audience}' "
                                                          f"(known: {', '.join(targets)})")])
    return targets[audience]


def score_blocks(
    body: dict[str, list[str]],
    apart: dict[str, list[str]],
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    headings: dict[str, list[str]] | None = None,
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Score body blocks per section; parts in ``apart`` are scored on their own.

    ``diagnose=False`` leaves the diagnosis empty, for callers that only need the scores."""
    target = _target_for(audience, targets)
    rule = target.sentences
    sections: list[SectionScore] = []
    all_sentences: list[str] = []
    all_scored: list[SentenceScore] = []
    for section_id, blocks in body.items():
        scored_blocks = []
        sentences: list[str] = []
        per_sentence: list[Counts] = []
        for block in blocks:
            found = split_block(block)
            counted = [count_sentence(s) for s in found]
            sentences.extend(found)
            per_sentence.extend(counted)
            scored_blocks.append([score_sentence(s, rule, c) for s, c in zip(found, counted,
                                                                            strict=True)])
        counts = Counts.total(per_sentence)
        sections.append(SectionScore(section_id, Scores.from_counts(counts), counts, scored_blocks,
                                     (headings or {}).get(section_id, [])))
        all_sentences.extend(sentences)
        all_scored.extend(s for b in scored_blocks for s in b)
    body_scores = Scores.from_counts(Counts.total(s.counts for s in sections))
    apart_scores = {
        name: Scores.from_counts(count_sentences([s for b in blocks for s in split_block(b)]))
        for name, blocks in apart.items() if blocks
    }
    diagnosis = (diagnose_sentences(all_sentences, glossary_terms, rule, scored=all_scored)
                 if diagnose else Diagnosis())
    return DocumentScore(audience, target, body_scores, sections, apart_scores,
                         target.check(body_scores), diagnosis)


def set_furniture_apart(body: dict[str, list[str]], apart: dict[str, list[str]],
                        known: dict[str, str] | None = None) -> None:
    """Move datelines, bylines, captions (and ``known`` blocks: text -> the part it is, such as
    plain-text headings) out of the body into ``apart``: they are not sentences to fix. A
    dateline that opens a paragraph is cut off."""
    from .furniture import kind_of, split_dateline

    for section_id, blocks in body.items():
        kept: list[str] = []
        for i, block in enumerate(blocks):
            normal = " ".join(block.split())
            kind = (known or {}).get(normal) or kind_of(normal)
            if kind is None and i < 3:
                dateline, rest = split_dateline(normal)
                if dateline:
                    apart.setdefault("dateline", []).append(dateline)
                    block = rest
            if kind is None:
                kept.append(block)
            else:
                apart.setdefault(kind, []).append(normal)
        body[section_id] = kept


def _html_captions(html: str) -> set[str]:
    """Texts of <figcaption> and <caption> elements: a caption labels a figure or a table."""
    from ..seen.html_tree import parse_html

    root, _ = parse_html(html)
    return {" ".join("".join(e.itertext()).split()) for e in root.iter()
            if e.tag in ("figcaption", "caption")} - {""}


def score_html(
    html: str,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
    furniture: bool = False,
) -> DocumentScore:
    """Scores of the text a reader sees in an HTML explainer: per ``<section data-section>``,
    for the whole body, and apart for headings, navigation and ``data-score="apart"`` parts.

    ``furniture=True`` (for drafts) also puts datelines, bylines and captions apart."""
    from ..seen.html import extract

    extracted = extract(html)
    body = {sid: s.body for sid, s in extracted.sections.items() if s.body}
    apart: dict[str, list[str]] = {"headings": extracted.headings(), "nav": extracted.nav()}
    for category, blocks in extracted.apart().items():
        apart.setdefault(category, []).extend(blocks)
    if furniture:
        set_furniture_apart(body, apart, dict.fromkeys(_html_captions(html), "caption"))
    headings = {sid: s.headings for sid, s in extracted.sections.items()}
    return score_blocks(body, apart, audience, targets, glossary_terms, headings,
                        diagnose=diagnose)


def score_plain(
    text: str,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    markdown: bool = False,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of plain text or Markdown. Headings (Markdown's, and lines of plain text that
    stand alone as headings), datelines, bylines and captions are reported apart."""
    from .furniture import plain_text_headings, table_rows_as_cells

    if markdown:
        from .markdown import markdown_blocks

        blocks, heads = markdown_blocks(text)
        plain_heads: set[str] = set()
    else:
        blocks, heads = split_blocks(table_rows_as_cells(text)), []
        plain_heads = plain_text_headings(text)
    body = {TEXT_SECTION: blocks}
    apart: dict[str, list[str]] = {"headings": heads}
    set_furniture_apart(body, apart, dict.fromkeys(plain_heads, "headings"))
    heads = apart["headings"]
    return score_blocks(body, apart, audience, targets, glossary_terms, {TEXT_SECTION: heads},
                        diagnose=diagnose)


def score_paragraphs(
    paragraphs: list[Paragraph],
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of a document read paragraph by paragraph (.docx, .odt, a tagged PDF): each
    paragraph is a block; headings and captions are reported apart."""
    body = {TEXT_SECTION: [p.text for p in paragraphs if p.kind == "body"]}
    apart: dict[str, list[str]] = {
        "headings": [p.text for p in paragraphs if p.kind == "heading"],
        "caption": [p.text for p in paragraphs if p.kind == "caption"],
    }
    for p in paragraphs:
        if p.kind == "apart":
            apart.setdefault(p.category or "other", []).append(p.text)
    set_furniture_apart(body, apart)
    return score_blocks(body, apart, audience, targets, glossary_terms,
                        {TEXT_SECTION: apart["headings"]}, diagnose=diagnose)


def score_draft(
    draft: Draft,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    """Scores of a draft as ``explainer score`` gives them: datelines, bylines, captions and
    headings apart."""
    if draft.paragraphs is not None:
        return score_paragraphs(list(draft.paragraphs), audience, targets, glossary_terms,
                                diagnose=diagnose)
    return score_content(draft.text, draft.format, audience, targets, glossary_terms,
                         diagnose=diagnose)


def score_content(
    text: str,
    fmt: Format,
    audience: str = "patient",
    targets: dict[str, Target] | Target | None = None,
    glossary_terms: set[str] | frozenset[str] = frozenset(),
    *,
    diagnose: bool = True,
) -> DocumentScore:
    if fmt == "html":
        return score_html(text, audience, targets, glossary_terms, diagnose=diagnose,
                          furniture=True)
    if fmt in ("docx", "odt"):  # text read by read_draft: one paragraph per line
        from ..inputs.office import Paragraph

        paragraphs = [Paragraph("body", line) for line in text.split("\n") if line.strip()]
        return score_paragraphs(paragraphs, audience, targets, glossary_terms,
                                diagnose=diagnose)
    return score_plain(text, audience, targets, glossary_terms, markdown=fmt == "md",
                       diagnose=diagnose)
