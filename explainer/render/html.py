"""Render a document's view to self-contained HTML with Jinja2 (autoescape always on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..problems import InputError, Problem
from .contrast import css_colour, css_ident
from .templates_dir import builtin_templates

if TYPE_CHECKING:  # importing these costs pydantic and Jinja2; options alone need neither
    import jinja2

    from ..document.model import Audience, Document

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
    from .assets import css_string
    from .sandbox import make_environment
    from .template_cache import template_cache

    # Sandboxed and limited (explainer.render.sandbox): a --templates folder may come from someone
    # else, and a template must not reach Python internals, read other files or hang.
    folders = [*([user_templates] if user_templates is not None else []), builtin_templates()]
    # Inside <style> autoescape does not protect: these filters make values safe for CSS.
    env = make_environment(folders, {"css_string": css_string, "css_colour": css_colour,
                                     "css_ident": css_ident, "for_audience": for_audience})
    # The built-in templates' compiled code is kept between runs (keyed on their source).
    env.bytecode_cache = template_cache(env, [builtin_templates()])
    return env


def for_audience(item: object, audience: str) -> str:
    """The ``for_audience`` filter: a per-audience text's wording for one reader (press falls
    back to patient, as PerAudience.for_ does); empty for a missing text."""
    from collections.abc import Mapping

    from ..document.model import PerAudience

    if item is None:
        return ""
    if not isinstance(item, Mapping):
        raise TypeError("for_audience takes a per-audience text (patient, clinician, press)")
    return PerAudience.model_validate(dict(item)).for_(audience) or ""  # type: ignore[arg-type]


def template_files(user_templates: Path | None) -> list[Path]:
    """Every file a render may read (templates, CSS, the assets it inlines), for
    incremental-build fingerprints: only files the guarded reader would let it read."""
    from ..inputs.guarded_files import FileRefused, check_file

    folders = [builtin_templates()] + ([user_templates] if user_templates else [])
    out = []
    for folder in folders:
        for path in folder.rglob("*"):
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            try:
                check_file(path, "asset", root=folder)
            except FileRefused:
                continue  # a FIFO, a device, a symlink out, a folder: never read, not hashed
            out.append(path)
    return sorted(out)


def render_html(doc: Document, audience: Audience, options: RenderOptions = RenderOptions()) -> str:
    from .view import build_view

    env = environment(options.templates)
    view = build_view(doc, audience)
    folders = [p for p in (options.templates, builtin_templates()) if p is not None]
    from .assets import inline_css_assets
    from .sandbox import render

    try:
        css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
        css = inline_css_assets(css, folders)
        template = env.get_template(f"{audience}.html")
    except Exception as exc:
        raise InputError([template_problem(exc, f"{audience}.html", folders)]) from None
    data = context(doc, view, audience, options, css)  # ours: a failure here is a bug
    try:
        from .selfcontained import with_csp  # every page forbids any fetch, whoever renders it

        return with_csp(render(template, data))
    except InputError:
        raise
    except Exception as exc:
        # A broken or hostile template is bad input: name the file and line, no traceback.
        raise InputError([template_problem(exc, f"{audience}.html", folders)]) from None


def template_problem(exc: BaseException, default: str, folders: list[Path]) -> Problem:
    """One line for an error raised while loading or rendering a template: the template's
    file and line (from Jinja's own report, else the innermost template frame)."""
    import traceback

    import jinja2

    where, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or exc.name, exc.lineno
    else:
        # Jinja names a rendering template's frames after its file, inside a template folder.
        roots = [str(f) + "/" for f in folders]
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(tuple(roots)):
                where, line = frame.filename, frame.lineno
                break
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template not found: {exc.name}"
    elif isinstance(exc, jinja2.TemplateError):
        message = exc.message or type(exc).__name__
    else:
        message = f"{type(exc).__name__}: {exc}"
    message = " ".join(message.split())
    if len(message) > 300:
        message = message[:297] + "..."
    return Problem(str(where or default), line, "template", message)


def context(doc: Document, view, audience: Audience, options: RenderOptions, css: str) -> dict:
    brand: dict[str, Any] = {
        "organisation": None, "logo": None, "logo_alt": "", "contact": [], "footer": None,
        "colours": {}, "feedback": None, "review_years": 3}
    brand.update(options.brand)
    from .view import date_in_words, produced_line

    producer = doc.producer.name or brand["organisation"]
    # Date and version always reach the footer; a brand's footer text only replaces the title.
    footer = f"{brand['footer'] or doc.title}\nVersion {doc.version} | {date_in_words(view.date)}"
    title = doc.press.headline if audience == "press" else doc.title
    from .plain import plain

    # Plain, read-only data only: a model object would hand the template its methods.
    data = plain({"doc": doc, "view": view, "brand": brand})
    return dict(
        doc=data["doc"],
        view=data["view"],
        css=_markup(css),  # our own stylesheet, not user data
        paper=PAPER_SIZES[options.paper],
        large_print=options.large_print,
        brand=data["brand"],
        footer_text=footer,
        title=f"{title} ({KIND_NAMES[audience]} for {READERS[audience]})",
        description=(doc.press.lede if audience == "press"
                     else _first_sentence(view.text(doc.background))),
        kind_name=KIND_NAMES[audience],
        version=__version__,
        producer=producer,
        produced=produced_line(doc, brand["review_years"]),
    )


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


def _first_sentence(text: str) -> str:
    from ..readability.sentences import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else ""
