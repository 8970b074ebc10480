"""Files the renderer may read, without importing WeasyPrint (HTML-only builds stay light).

Only files inside the allowed folders (user templates first, then the built-in ones) are
ever resolved; everything else is None. The PDF fetcher (fetcher.py) and the stylesheet
inliner below share this one rule.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup


class AllowedFiles:
    def __init__(self, allowed_roots: list[Path]):
        self.allowed_roots = [Path(r).resolve() for r in allowed_roots]

    def resolve(self, url: str) -> Path | None:
        """The allowed file a ``file:`` URL names, or None."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        for root in self.allowed_roots:
            if path.is_relative_to(root) and _readable(path, root):
                return path
        # Fallback: a path under the first folder may live in a later one (built-in assets).
        first = self.allowed_roots[0] if self.allowed_roots else None
        if first is not None and path.is_relative_to(first):
            rel = path.relative_to(first)
            for root in self.allowed_roots[1:]:
                candidate = (root / rel).resolve()
                if candidate.is_relative_to(root) and _readable(candidate, root):
                    return candidate
        return None


def _readable(path: Path, root: Path) -> bool:
    """Whether the guarded reader lets a template asset be read (a regular file inside
    ``root`` after symlinks, within the asset size limit)."""
    from ..inputs.guarded_files import FileRefused, check_file

    try:
        check_file(path, "asset", root=root)
    except FileRefused:
        return False
    return True


# The HTML output is one self-contained file, so a stylesheet's relative url() is inlined
# as a data: URI when it names a file in the template folders. Anything else stays as
# written: the browser sees it in the user's own stylesheet, and for the PDF the locked
# fetcher refuses it and the build fails naming the URL.
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def inline_css_assets(css: str, folders: list[Path]) -> str:
    from ..inputs.guarded_files import FileRefused, read_bytes

    allowed = AllowedFiles(folders)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2)
        if _SCHEME.match(ref) or ref.startswith(("/", "#")) or not folders:
            return match.group(0)
        path = allowed.resolve((Path(folders[0]).resolve() / unquote(ref.split("?")[0])).as_uri())
        if path is None:
            return match.group(0)
        try:
            data = read_bytes(path, "asset", roots=allowed.allowed_roots)
        except FileRefused:
            return match.group(0)  # left as written: the PDF fetcher then refuses it by name
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f'url("data:{kind};base64,{base64.b64encode(data).decode("ascii")}")'

    return _CSS_URL.sub(replace, css)


_CSS_SAFE = re.compile(r"[A-Za-z0-9 .,:;|()/_+-]")


def css_string(text: object) -> Markup:
    """Text for inside a double-quoted CSS string in a <style> element.

    Every character outside a small safe set becomes a CSS hex escape, so no field can
    close the string, the rule or the <style> element (autoescape does not apply there).
    """
    # "\26 " form: the one space ends the escape and is consumed with it (CSS Syntax 4.3.7).
    out = "".join(c if _CSS_SAFE.fullmatch(c) else f"\\{ord(c):x} " for c in str(text))
    return Markup(out)
