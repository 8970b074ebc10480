"""Render a document's view to self-contained HTML with Jinja2 (autoescape always on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .contrast import css_colour, css_ident
from .problems import InputError, Problem
from .templates_dir import builtin_templates

if TYPE_CHECKING:  # importing these costs pydantic and Jinja2; options alone need neither
    import jinja2

    from .model import Audience, Document

PAPER_SIZES = {"a4": "A4", "a5": "A5", "letter": "letter"}
KIND_NAMES = {"patient": "leaflet", "clinician": "brief", "press": "summary"}
READERS = {"patient": "patients", "clinician": "clinicians", "press": "the press"}


@dataclass(frozen=True)
class RenderOptions:
    paper: str = "a4"
    large_print: bool = False
    templates: Path | None = None  # user folder whose files override the built-in ones by name
    brand: dict = field(default_factory=dict, hash=False, compare=False)


@cache
def environment(user_templates: Path | None) -> jinja2.Environment:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # Sandboxed: a --templates folder may come from someone else, and a template must not
    # reach Python internals (os, file access) through attribute tricks.
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # findings files are data from other people: never trust a field
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Inside <style> autoescape does not protect: these filters make values safe for CSS.
    from .assets import css_string

    env.filters.update(css_string=css_string, css_colour=css_colour, css_ident=css_ident)
    return env


def template_files(user_templates: Path | None) -> list[Path]:
    """Every file a render may read (templates, CSS, the assets it inlines), for
    incremental-build fingerprints."""
    folders = [builtin_templates()] + ([user_templates] if user_templates else [])
    return sorted(p for d in folders for p in d.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def render_html(doc: Document, audience: Audience, options: RenderOptions = RenderOptions()) -> str:
    from .view import build_view

    env = environment(options.templates)
    view = build_view(doc, audience)
    css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
    folders = [p for p in (options.templates, builtin_templates()) if p is not None]
    from .assets import inline_css_assets

    css = inline_css_assets(css, folders)
    import jinja2

    try:
        template = env.get_template(f"{audience}.html")
        from .selfcontained import with_csp  # every page forbids any fetch, whoever renders it

        return with_csp(template.render(**context(doc, view, audience, options, css)))
    except jinja2.TemplateError as exc:
        # A broken or hostile template is bad input: name the file and line, no traceback.
        where = getattr(exc, "filename", None) or getattr(exc, "name", None) or f"{audience}.html"
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(str(where), line, "template", exc.message or str(exc))]) from None


def context(doc: Document, view, audience: Audience, options: RenderOptions, css: str) -> dict:
    brand = {"organisation": None, "logo": None, "logo_alt": "", "contact": [], "footer": None,
             "colours": {}}
    brand.update(options.brand)
    # Date and version always reach the footer; a brand's footer text only replaces the title.
    footer = f"{brand['footer'] or doc.title}\nVersion {doc.version} | {view.date}"
    title = doc.press.headline if audience == "press" else doc.title
    return dict(
        doc=doc,
        view=view,
        css=_markup(css),  # our own stylesheet, not user data
        paper=PAPER_SIZES[options.paper],
        large_print=options.large_print,
        brand=brand,
        footer_text=footer,
        title=f"{title} ({KIND_NAMES[audience]} for {READERS[audience]})",
        description=(doc.press.lede if audience == "press"
                     else _first_sentence(view.text(doc.background))),
        kind_name=KIND_NAMES[audience],
        version=__version__,
    )


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _first_sentence(text: str) -> str:
    from .sentences import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else ""
