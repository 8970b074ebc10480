"""A WeasyPrint URL fetcher that reads nothing but ``data:`` URLs and files in allowed folders.

A findings file may come from anyone; a hostile field must not make the renderer read
/etc/passwd, call a server, or attach a file. Everything else is refused (WeasyPrint then
skips the resource with a warning).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class LockedFetcher(URLFetcher):
    def __init__(self, allowed_roots: list[Path]):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)
        self.allowed_roots = [Path(r).resolve() for r in allowed_roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed_roots) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"explainer refuses to fetch {url!r} (only data: URLs and template assets)")
