"""A WeasyPrint URL fetcher that reads nothing but ``data:`` URLs and files in allowed folders.

A findings file may come from anyone and a template folder from a colleague; neither may
make the renderer read /etc/passwd, call a server or attach a file. Every other URL is
refused before any I/O, and recorded so the build can fail with the URL named.

The allowed folders are searched in order like the Jinja loaders: a relative asset that a
user template folder does not have is looked up in the built-in templates folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..render.assets import AllowedFiles


class FetchRefused(ValueError):
    """Raised for a URL outside the allowed folders; WeasyPrint then skips the resource."""


@cache
def _data_urls() -> URLFetcher:
    """The one fetcher a process needs for ``data:`` URLs (urllib decodes them). Building a
    URLFetcher is a third of a millisecond (urllib's opener reads the proxy settings and
    makes an SSL context), paid before for every render and every stylesheet parsed."""
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


class LockedFetcher(URLFetcher):
    """Files are read here, through the guarded reader, not by urllib."""

    def __init__(self, allowed_roots: list[Path]):
        # Not URLFetcher's own set-up: the only URLs that reach urllib are data: ones, and
        # those go to the process's data-only fetcher. WeasyPrint calls the fetcher and
        # reads _fail_on_errors (False: a refused URL is skipped, then reported by us).
        self._fail_on_errors = False
        self.allowed = AllowedFiles(allowed_roots)
        self.allowed_roots = self.allowed.allowed_roots
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path | None:
        return self.allowed.resolve(url)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return _data_urls().fetch(url, headers)
        if scheme == "file":
            path = self.resolve(url)
            if path is not None:
                return self._read(path)
        self.refused.append(url)
        raise FetchRefused(f"explainer refuses to fetch {url!r} "
                           "(only data: URLs and files in the template folders)")

    def _read(self, path: Path) -> URLFetcherResponse:
        import mimetypes

        from ..inputs.guarded_files import FileRefused, read_bytes

        try:
            data = read_bytes(path, "asset", roots=self.allowed_roots)
        except FileRefused as exc:
            self.refused.append(path.as_uri())
            raise FetchRefused(f"explainer refuses to read {exc.path}: {exc.reason}") from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": kind})
