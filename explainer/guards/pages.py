"""Pages of a built PDF, from WeasyPrint's own layout: the total, and how many come before the
appendix (the main part, which the length budget counts).

The appendix starts on a new page with an ``<h2>`` whose text begins "Appendix"; WeasyPrint
writes every h2 as a PDF bookmark with its page, so the main part ends where that bookmark
points. No appendix: the whole document is the main part.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

APPENDIX_PREFIX = "Appendix"


@dataclass(frozen=True)
class PageCount:
    total: int
    main: int
    page_texts: tuple[str, ...] = ()


def count_pages(data: bytes) -> PageCount:
    from ..pdf.reader import pages_and_bookmarks

    fast = pages_and_bookmarks(data)  # qpdf and our decoder: a seventh of pypdf's time
    if fast is not None:
        texts, marks = fast
        main = min((page for title, page in marks if title.strip().startswith(APPENDIX_PREFIX)),
                   default=len(texts))
        return PageCount(len(texts), min(main, len(texts)), tuple(texts))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    main = total
    for item in _flat(reader.outline):
        title = str(getattr(item, "title", "") or "")
        if title.strip().startswith(APPENDIX_PREFIX):
            main = min(main, reader.get_destination_page_number(item))
    texts = tuple(page.extract_text() or "" for page in reader.pages)
    return PageCount(total, main, texts)


def _flat(outline) -> list:
    items = []
    for entry in outline:
        if isinstance(entry, list):
            items += _flat(entry)
        else:
            items.append(entry)
    return items
