"""Parts of a draft that are not sentences to fix: datelines, bylines, captions, and the headings
of plain text. `explainer score` reports them apart, as it does the headings of Markdown and HTML,
so that "LONDON, 24 July 2025" is never a "hardest sentence" and a caption does not count as prose.
"""

from __future__ import annotations

import re

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
         rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
         rf"\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})")
_PLACE = r"[A-Z][A-Za-z.'’\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'’\- ]{1,30}){0,2}"
# The whole block is a date, a place and a date, or release furniture.
_DATELINE = re.compile(
    rf"^(?:(?:{_PLACE})\s*[,(–—-]\s*)?\(?{_DATE}\)?\s*[–—-]?$"
    r"|^(?:for immediate release|embargoed?\b.*|under embargo\b.*|press release|news release|"
    r"media release|ends|-?\s*ends\s*-?|###|notes? to editors:?|contact:.*)$",
    re.I,
)
# A dateline that opens the first sentence: "LONDON, 24 July 2025 – Scientists found ..."
_DATELINE_PREFIX = re.compile(
    rf"^(?:{_PLACE}\s*[,(]\s*)?\(?{_DATE}\)?\s*[–—:-]+\s+(?=\S)"
    rf"|^[A-Z][A-Z.'’\- ]{{2,30}}(?:,\s*[A-Z][A-Za-z.'’\- ]{{1,30}})?\s*[–—-]+\s+(?=[A-Z])"
    # a wire or distributor tag: "(Reuters) -", "(Press-News.org)", "LONDON (AP) —"
    rf"|^(?:[A-Z][A-Z.'’\- ]{{2,30}}\s*)?\([A-Z][\w.'’\- ]{{1,30}}\)\s*[–—:-]*\s+(?=[A-Z])"
)
_BYLINE = re.compile(
    r"^(?i:(?:written |words |reporting |story )?by|authors?:|posted by)\s+[A-Z][\w.'’\-]*"
    r"(?:[\s,]+(?:and\s+)?[A-Z][\w.'’\-]*){0,8}(?:[,|–—-]\s*[^.!?]{0,60})?$",
)
_CAPTION = re.compile(
    r"^(?:(?:figure|fig\.?|table|image|photo(?:graph)?|picture|illustration|chart|graph|map|"
    r"video|box|panel|exhibit)\s*\d+[a-z]?\s*[.:–—|-]"
    r"|(?:image|photo|picture|illustration|video)\s*:"
    r"|(?:photo |image |picture )?credits?\s*:|caption\s*:|source\s*:)",
    re.I,
)
_HEADING_END = re.compile(r"[.!?:;,…\"'”’)]$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•+–·▪‣◦]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")
MAX_HEADING_WORDS = 12


def kind_of(block: str) -> str | None:
    """'dateline', 'byline' or 'caption' for a block that is one, else None."""
    text = " ".join(block.split())
    if len(text) > 300:
        return None  # prose, whatever it starts with
    if _DATELINE.match(text):
        return "dateline"
    if _CAPTION.match(text):
        return "caption"
    if len(text.split()) <= 14 and _BYLINE.match(text):
        return "byline"
    return None


def split_dateline(block: str) -> tuple[str, str]:
    """("LONDON, 24 July 2025 –", "Scientists found ...") for a block that opens with a
    dateline, else ("", block)."""
    match = _DATELINE_PREFIX.match(block[:200])
    if not match:
        return "", block
    return block[:match.end()].strip(), block[match.end():]


def table_rows_as_cells(text: str) -> str:
    """Plain text with each tab-separated table row (as Word saves a table) cut into its cells,
    one block each, as in a Word, Markdown or HTML table."""
    if "\t" not in text:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line.strip():
            for cell in line.split("\t"):
                if cell.strip():
                    out += ["", cell.strip()]
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def plain_text_headings(text: str) -> set[str]:
    """Lines of plain text that stand alone as headings: a line between blank lines (or at the
    start), at most 12 words, starting with a capital, with no closing punctuation, not a list
    item. A title and the subheads of a press release look like this; sentences do not."""
    found: set[str] = set()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or _LIST_MARKER.match(raw) or "\t" in line:
            continue  # empty, a list item, or a table row (cells are separated by tabs)
        before = lines[i - 1].strip() if i > 0 else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if before or after:
            continue
        words = line.split()
        if len(words) > MAX_HEADING_WORDS or not line[0].isupper() or _HEADING_END.search(line):
            continue
        found.add(" ".join(words))
    return found
