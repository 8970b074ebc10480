"""The communication check: automatable CDC Clear Communication Index and PEMAT-P items.

The items are data (rules/communication.yaml, each with its instrument and item number);
this module holds one small test per ``check`` name, decided from the built output's
structure (the HTML tree) and its visible body text, and for "first on page 1" from the PDF
pages. Items whose ``check`` is null are listed for a human rater.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ..document.model import Audience, Document
from ..rules.schema_guards import CommunicationRules as _Rules

Status = Literal["met", "not met", "not applicable", "human"]


@dataclass(frozen=True)
class ItemResult:
    instrument: str  # its display name
    item: int
    text: str
    status: Status
    detail: str = ""


@dataclass
class Output:
    """What the tests look at: the parsed page, its body text by section, its PDF pages."""

    doc: Document
    audience: Audience
    root: Any
    sections: list[tuple[str, str]]  # (data-section, visible body text), in page order
    pages: tuple[str, ...]
    imperatives: frozenset[str]
    rules: _Rules | None = None

    @property
    def body(self) -> str:
        return "\n".join(t for _, t in self.sections)

    def find(self, selector: str) -> list[Any]:
        return [e for e in self.root.iter() if _matches(e, selector)]


def _matches(el: Any, selector: str) -> bool:
    tag, _, cls = selector.partition(".")
    if tag and el.tag != tag:
        return False
    if cls and cls not in (el.get("class") or "").split():
        return False
    return isinstance(el.tag, str)


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _key_section(o: Output) -> Any:
    found = [e for e in o.root.iter() if e.get("data-section") == "key-messages"]
    return found[0] if found else None


Result = tuple[Status, str]


def main_message_present(o: Output) -> Result:
    key = _key_section(o)
    return ("met", "") if key is not None and _text(key) else ("not met", "no key messages")


def main_message_first(o: Output) -> Result:
    firsts = [s for s, t in o.sections if t.strip()]
    if not firsts or firsts[0] != "key-messages":
        return "not met", f"first section is {firsts[0] if firsts else 'missing'}"
    if o.pages:
        key = _key_section(o)
        items = key.findall(".//li") + key.findall(".//p") if key is not None else []
        probe = " ".join(_text(items[0]).split()[:5]) if items else ""
        page1 = " ".join(o.pages[0].split())
        if probe and probe not in page1:
            return "not met", "the key messages are not on page 1 of the PDF"
    return "met", ""


def main_message_emphasised(o: Output) -> Result:
    key = _key_section(o)
    if key is None:
        return "not met", "no key messages"
    boxed = "key-messages" in (key.get("class") or "").split()
    headed = key.find(".//h2") is not None
    return ("met", "") if boxed and headed else ("not met", "no box or heading")


def visual_present(o: Output) -> Result:
    imgs = [i for i in o.find("img") if (i.get("alt") or "").strip()
            and "logo" not in (i.get("class") or "")]
    return ("met", "") if imgs else ("not met", "no visual with alt text")


def visual_captioned(o: Output) -> Result:
    """A caption that names what the picture shows, inside the section it illustrates.

    Tightened after the independent rating (December 2026) failed PEMAT-P item 17 on a caption
    that named neither the drug nor the outcome and sat apart from its section: the caption
    must name a studied drug or intervention, and the visual must be inside a headed section."""
    if visual_present(o)[0] != "met":
        return "not applicable", "no visual"
    captions = o.find("p.caption")
    if not captions:
        return "not met", "visual has no caption"
    names = {d.name.lower() for d in o.doc.subject.drugs}
    names |= {s.intervention.name.split(",")[0].lower() for s in o.doc.studies}
    text = " ".join(_text(c).lower() for c in captions)
    if names and not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names):
        return "not met", "caption does not name what was studied"
    parents = {c: p for p in o.root.iter() for c in p}
    for c in captions:
        node, headed = c, False
        while node is not None and not headed:
            node = parents.get(node)
            headed = node is not None and node.tag == "section" and any(
                ch.tag in ("h2", "h3") for ch in node)
        if not headed:
            return "not met", "visual sits outside the section it illustrates"
    return "met", ""


def _actions(o: Output) -> list[str]:
    key = _key_section(o)
    return [_text(li) for li in (key.iter() if key is not None else [])
            if li.tag == "li" and "action" in (li.get("class") or "").split()]


def call_to_action(o: Output) -> Result:
    return ("met", "") if _actions(o) else ("not met", "no key message marked action: true")


def addresses_reader(o: Output) -> Result:
    actions = _actions(o)
    if not actions:
        return "not met", "no action"
    direct = [a for a in actions if re.search(r"\byou(r)?\b", a, re.I)
              or a.split()[0].lower().strip(",.") in o.imperatives]
    return ("met", "") if len(direct) == len(actions) else ("not met", "an action is indirect")


def active_voice_key(o: Output) -> Result:
    from ..readability.diagnosis import _passive_phrases

    key = _key_section(o)
    if key is None:
        return "not met", "no key messages"
    passive = _passive_phrases(_text(key))
    return ("met", "") if not passive else ("not met", f"passive: {', '.join(passive)}")


def bulleted_lists(o: Output) -> Result:
    return ("met", "") if o.find("ul") or o.find("ol") else ("not met", "no lists")


def chunked(o: Output) -> Result:
    """Short sections, each under a heading that says what it holds.

    Tightened after the independent rating (December 2026) failed CDC item 9 on a section of
    six different ideas under "Please keep in mind": a vague heading or a list longer than
    rules max_list_items now fails."""
    headed = [s for s, t in o.sections if t.strip()]
    longest = max((len(t.split()) for _, t in o.sections), default=0)
    if len(headed) < 3:
        return "not met", "fewer than three sections"
    if longest > 400:
        return "not met", f"a section of {longest} words"
    rules = o.rules
    if rules is not None and o.audience == "patient":
        vague = {v.lower() for v in rules.vague_headings}
        for h in o.root.iter():
            if h.tag in ("h2", "h3") and _text(h).strip().lower().rstrip(":") in vague:
                return "not met", f"vague heading: {_text(h).strip()}"
        for ul in o.find("ul"):
            items = [li for li in ul if li.tag == "li"]
            if len(items) > rules.max_list_items:
                return "not met", f"a list of {len(items)} items in one section"
    return "met", ""


def informative_headers(o: Output) -> Result:
    heads = [_text(h) for h in o.root.iter() if h.tag in ("h2", "h3")]
    bad = [h for h in heads if re.search(r"\bet al\b|\b(19|20)\d\d\b", h)]
    return ("met", "") if not bad else ("not met", f"author-year heading: {bad[0]}")


def summary_first(o: Output) -> Result:
    return main_message_first(o)


def state_of_science(o: Output) -> Result:
    names = {s for s, t in o.sections if t.strip()}
    return ("met", "") if names & {"unknowns", "appendix-synthesis", "caveats"} and (
        "unknowns" in names or o.audience != "patient") else ("not met", "no 'still unknown' part")


_STATS = re.compile(r"\br\s*=|\bp\s*[<=>]|\bhazard ratio|\bodds ratio|\bconfidence interval"
                    r"|\b95\s*%\s*CI\b|\bHR\b|\bOR\s*=", re.I)


def numbers_readers_use(o: Output) -> Result:
    m = _STATS.search(o.body)
    return ("met", "") if not m else ("not met", f"statistic “{m.group()}”")


def whole_numbers(o: Output) -> Result:
    m = re.search(r"(?<![\w.])\d+\.\d+(?![\w.])", o.body)
    return ("met", "") if not m else ("not met", f"decimal “{m.group()}”")


def natural_frequencies(o: Output) -> Result:
    m = re.search(r"\d\s*(%|per ?cent)", o.body, re.I)
    if m:
        return "not met", f"percentage “{m.group()}”"
    return whole_numbers(o)


_CALC = re.compile(r"\b\d+(\.\d+)?\s*(times|-fold|fold)\b|\b(reduced|cut|increased|raised|"
                   r"lowered) (by|to) (about )?\d+\s*(%|per ?cent)|\d+\s*%\s*(more|less|fewer|"
                   r"higher|lower)", re.I)


def no_calculation(o: Output) -> Result:
    m = _CALC.search(o.body)
    return ("met", "") if not m else ("not met", f"relative change “{m.group()}”")


def frequencies_explained(o: Output) -> Result:
    if not re.search(r"\b\d+ (out of|in) \d+\b", o.body):
        return "not applicable", "no numeric probability"
    return visual_present(o) if o.audience == "patient" else ("met", "worded as a count")


def terms_defined(o: Output) -> Result:
    from ..render.view import defined_inline, used_terms


    used = used_terms(o.doc.glossary, [o.body])
    if not used:
        return "met", "no glossary terms used"
    listed = {_text(dt).lower() for dt in o.find("dt")}
    body = " ".join(o.body.split())
    missing = [g.term for g in used
               if g.term.lower() not in listed and not defined_inline(g.term, body)]
    return ("met", "") if not missing else ("not met", f"undefined: {', '.join(missing)}")


def simple_tables(o: Output) -> Result:
    tables = o.find("table")
    if not tables:
        return "not applicable", "no tables"
    for t in tables:
        if not t.findall(".//th"):
            return "not met", "a table without headings"
        if any(len(_text(th).split()) > 6 for th in t.findall(".//th")):
            return "not met", "a long table heading"
    return "met", ""


def tangible_tool(o: Output) -> Result:
    return ("met", "") if o.find("ul.checklist") else ("not met", "no questions checklist")


CHECKS: dict[str, Callable[[Output], Result]] = {f.__name__: f for f in (
    main_message_present, main_message_first, main_message_emphasised, visual_present,
    visual_captioned, call_to_action, addresses_reader, active_voice_key, bulleted_lists,
    chunked, informative_headers, summary_first, state_of_science, numbers_readers_use,
    whole_numbers, natural_frequencies, no_calculation, frequencies_explained, terms_defined,
    simple_tables, tangible_tool)}


@cache
def load_items() -> _Rules:
    """The items, validated; an unknown check name is a bug in the rules file."""
    from ..problems import InputError
    from ..rules import rule_model, rule_problem

    rules: _Rules = rule_model("communication")  # validated: every instrument is known
    unknown = [rule_problem("communication", ("items", i, "check"),
                            f"unknown check {it.check!r} (explainer/guards/commcheck.py)")
               for i, it in enumerate(rules.items)
               if it.check is not None and it.check not in CHECKS]
    if unknown:
        raise InputError(unknown)
    return rules


def evaluate(doc: Document, audience: Audience, html: str,
             pages: tuple[str, ...] = ()) -> list[ItemResult]:
    """Every item for one built output: met, not met, not applicable, or for a human.

    The tree is the one :func:`explainer.seen.html.extract` already parsed for the visible
    text (a browser-like tree: implied end tags, stray end tags ignored), not a second parse;
    tests/guards/test_commcheck_tree.py pins that every item decides as on tinyhtml5's tree."""
    from ..seen.html import extract

    extracted = extract(html)
    return evaluate_tree(doc, audience, extracted.root, extracted, pages)


def evaluate_tree(doc: Document, audience: Audience, root: Any, extracted: Any,
                  pages: tuple[str, ...] = ()) -> list[ItemResult]:
    """:func:`evaluate` on a given element tree and the page's extracted visible text."""
    rules = load_items()
    sections: dict[str, list[str]] = {}
    for b in extracted.blocks:
        if b.kind == "body":
            sections.setdefault(b.section, []).append(b.text)
    output = Output(doc, audience, root, [(k, "\n".join(v)) for k, v in sections.items()],
                    pages, frozenset(rules.imperatives), rules)
    results = []
    for it in rules.items:
        inst = rules.instruments[it.instrument]
        if audience not in inst.audiences:
            continue
        if it.check is None:
            results.append(ItemResult(inst.name, it.item, it.text, "human"))
            continue
        status, detail = CHECKS[it.check](output)
        results.append(ItemResult(inst.name, it.item, it.text, status, detail))
    return results
