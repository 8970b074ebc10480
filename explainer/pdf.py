"""HTML -> PDF with WeasyPrint, and PDF -> text for reading the result back."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DEFAULT_VARIANT = "pdf/ua-1"


@cache
def font_config():
    """One FontConfiguration per process: building it is the slow part of a first render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(html: str, asset_dirs: list[Path], variant: str | None = DEFAULT_VARIANT) -> bytes:
    from weasyprint import HTML

    from .fetcher import LockedFetcher

    base = asset_dirs[0]
    document = HTML(string=html, base_url=str(base) + "/", url_fetcher=LockedFetcher(asset_dirs))
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(font_config=font_config(), pdf_tags=True, **options)


def pdf_text(data: bytes) -> str:
    """The text a reader sees in a PDF, page by page."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
