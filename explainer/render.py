"""Render a document's view to self-contained HTML with Jinja2 (autoescape always on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from . import __version__
from .model import Audience, Document
from .templates_dir import builtin_templates
from .view import build_view

PAPER_SIZES = {"a4": "A4", "a5": "A5", "letter": "letter"}
KIND_NAMES = {"patient": "leaflet", "clinician": "brief", "press": "summary"}


@dataclass(frozen=True)
class RenderOptions:
    paper: str = "a4"
    large_print: bool = False
    templates: Path | None = None  # user folder whose files override the built-in ones by name
    brand: dict = field(default_factory=dict, hash=False, compare=False)


@cache
def environment(user_templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # findings files are data from other people: never trust a field
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_files(user_templates: Path | None) -> list[Path]:
    """Every file a render may read, for incremental-build fingerprints."""
    folders = [builtin_templates()] + ([user_templates] if user_templates else [])
    return sorted(p for d in folders for p in d.glob("*") if p.suffix in {".html", ".css"})


def render_html(doc: Document, audience: Audience, options: RenderOptions = RenderOptions()) -> str:
    env = environment(options.templates)
    view = build_view(doc, audience)
    css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
    brand = {"organisation": None, "logo": None, "logo_alt": "", "contact": [], "footer": None}
    brand.update(options.brand)
    footer = brand["footer"] or f"{doc.title} | version {doc.version} | {view.date}"
    title = doc.press.headline if audience == "press" else doc.title
    return env.get_template(f"{audience}.html").render(
        doc=doc,
        view=view,
        css=_markup(css),  # our own stylesheet, not user data
        paper=PAPER_SIZES[options.paper],
        large_print=options.large_print,
        brand=brand,
        footer_text=footer,
        title=f"{title} ({KIND_NAMES[audience]} for {audience}s)",
        description=doc.press.lede if audience == "press" else _first_sentence(view.text(doc.background)),
        kind_name=KIND_NAMES[audience],
        version=__version__,
    )


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") + "." if text else ""
