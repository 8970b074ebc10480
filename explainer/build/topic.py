"""`explainer build` as a library: findings file -> checked explainers on disk.

The pipeline, per findings file:
  load + validate -> pre-flight checks on the data (quotes, source screening, caveat rules,
  claim guard) -> per audience: render HTML -> prove caveats visible, guard the rendered
  text, score readability -> PDF -> prove caveats in the PDF text read back -> write.

Everything is rendered and checked in memory first. An output that fails a check is not
written, so the last good file stays; the others are written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document.audiences import AUDIENCES, FORMATS, Audience
from ..problems import InputError, Problem, errors
from ..render.html import RenderOptions, render_html
from ..render.templates_dir import builtin_templates

if TYPE_CHECKING:
    from ..document.load import LoadedDocument


def _all_audiences() -> tuple[Audience, ...]:
    return AUDIENCES


@dataclass
class BuildOptions:
    """What to build and how. Importing this module stays cheap (no pydantic, Jinja2 or
    WeasyPrint), so `explainer build` can find unchanged topics before loading them."""

    audiences: tuple[Audience, ...] = field(default_factory=_all_audiences)
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("out")
    render: RenderOptions = field(default_factory=RenderOptions)
    sources_dir: Path | None = None
    pdf_variant: str | None = "pdf/ua-1"
    strict: bool = False
    targets: dict[str, Any] | None = None  # audience -> Target, from readability.targets
    target_overrides: dict[str, Any] | None = None  # --target, over the config's targets
    report: bool = True
    config: Path | None = None  # --config; else explainer.yaml beside each findings file


@dataclass
class OutputResult:
    audience: Audience
    paths: list[Path]
    problems: list[Problem] = field(default_factory=list)
    score: Any = None  # readability DocumentScore
    misses: list[Any] = field(default_factory=list)
    written: bool = False
    pages: int | None = None
    main_pages: int | None = None  # pages before the appendix (WeasyPrint's layout)
    main_words: int | None = None  # body words before the appendix
    budget: str = ""  # the budget, in words, for the summary table
    budget_misses: list[Any] = field(default_factory=list)
    communication: list[Any] = field(default_factory=list)  # commcheck.ItemResult

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


@dataclass
class TopicResult:
    findings: Path
    topic: str
    outputs: list[OutputResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # document-level warnings
    inputs: list[Path] = field(default_factory=list)  # files read, for incremental builds
    # For the manifest: inputs hashed before they were read, those that changed during the
    # build (then the topic is not recorded), and the hashes of the bytes written.
    input_hashes: dict[str, str | None] = field(default_factory=dict)
    changed_inputs: list[str] = field(default_factory=list)
    output_hashes: dict[Path, str] = field(default_factory=dict)
    document: Any = None  # the Document, for the editor sheet

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outputs) and not errors(self.problems)

    @property
    def over_target(self) -> bool:
        return any(o.misses for o in self.outputs)


BUNDLED = Path("seeds") / "ketamine-opioid.yaml"


def bundled_example() -> Path:
    """The bundled example: the checkout's copy when run from the repo root (its sources_dir
    then reaches ../shared/seeds, so quotes get verified), else the copy inside the package."""
    here = Path.cwd() / BUNDLED
    if here.is_file():
        return here
    from ..render.templates_dir import builtin_templates

    installed = builtin_templates().parent / BUNDLED
    if installed.is_file():
        return installed
    return Path(__file__).resolve().parents[2] / BUNDLED


def preflight(loaded: LoadedDocument, sources_dir: Path | None) -> list[Problem]:
    """Checks on the data itself; errors here stop the whole topic (exit 2)."""
    from ..guards.checks import data_checks

    return data_checks(loaded, sources_dir, require_sources=False)


def input_files(loaded: LoadedDocument, options: BuildOptions) -> list[Path]:
    """The findings file and every place its source texts are looked up (found or not)."""
    from ..sources.quotes import source_candidates

    base = Path(options.sources_dir) if options.sources_dir is not None else loaded.sources_dir
    return [loaded.path, *(p for s in loaded.doc.sources for p in source_candidates(s, base))]


def asset_dirs(options: BuildOptions) -> list[Path]:
    """The only folders the PDF renderer may read, user templates first (the logo is inline)."""
    dirs = [builtin_templates()]
    if options.render.templates:
        dirs.insert(0, options.render.templates.resolve())
    return dirs


def check_output(loaded: LoadedDocument, audience: Audience, html: str,
                 html_path: Path) -> OutputResult:
    from ..guards.caveats import prove_visible_html
    from ..guards.claims import output_problems
    from ..seen.html import visible_text

    doc = loaded.doc
    result = OutputResult(audience=audience, paths=[])
    text = visible_text(html)
    result.problems += prove_visible_html(doc, audience, html, output=str(html_path))
    from ..document.todos import publish_problems

    result.problems += publish_problems(loaded, text, str(html_path))
    result.problems += output_problems(loaded, audience, text, str(html_path))
    return result


def score_output(html: str, audience: Audience, loaded: LoadedDocument, options: BuildOptions):
    from ..readability.scoring import score_html
    from ..readability.targets import load_targets

    targets = options.targets or load_targets()
    glossary = {g.term.lower() for g in loaded.doc.glossary}
    for g in loaded.doc.glossary:
        glossary.update(a.lower() for a in g.aliases)
    return score_html(html, audience, targets, glossary)


def build_topic(path: Path, options: BuildOptions) -> TopicResult:
    """Build every requested output of one findings file. Raises InputError on bad data,
    output.WriteError when the output folder refuses the files (nothing half-written)."""
    from .manifest import InputSnapshot, config_candidates

    snapshot = InputSnapshot()  # before anything reads them: what the manifest will record
    snapshot.take([path, *config_candidates(path, options.config)])
    token = InputSnapshot.current.set(snapshot)  # readers may report bytes (manifest.note_read)
    try:
        return _build_topic(path, options, snapshot)
    finally:
        InputSnapshot.current.reset(token)


def _build_topic(path: Path, options: BuildOptions, snapshot: Any) -> TopicResult:
    from ..document.config import apply_config
    from ..document.load import load_document

    loaded = load_document(path)
    options, config_files = apply_config(path, options)
    inputs = [*input_files(loaded, options), *config_files]
    snapshot.take(inputs)  # sources before the checks read them
    _note_logo(snapshot, options, config_files)  # the logo was read by apply_config already
    if options.target_overrides and not config_files:  # else apply_config applied them
        import dataclasses

        from ..readability.targets import load_targets

        options = dataclasses.replace(options, targets=load_targets(
            None, options.target_overrides))
    problems = preflight(loaded, options.sources_dir)
    if errors(problems):
        raise InputError(errors(problems))
    doc = loaded.doc
    topic_dir = options.out_dir / doc.topic
    result = TopicResult(findings=path, topic=doc.topic, problems=problems, inputs=inputs,
                         document=doc)
    from ..guards.caveats import rules_fired_once
    from ..render.plain import document_converted_once

    with rules_fired_once(doc), document_converted_once(doc):
        pending = _build_outputs(loaded, options, result)
    if options.report and "html" in options.formats:
        report = render_topic_report(result, options)
        if report is not None:
            pending[topic_dir / "report.html"] = report
        sheet = render_topic_editor_sheet(result)
        if sheet is not None:  # editor-only material sits beside the report, never in public
            pending[topic_dir / "editor.html"] = sheet
    from .output import commit

    written = commit(topic_dir, {p.name: data for p, data in pending.items()})
    result.output_hashes = {topic_dir / name: digest for name, digest in written.items()}
    result.input_hashes = snapshot.hashes()
    result.changed_inputs = snapshot.changed()
    for changed in result.changed_inputs:
        result.problems.append(Problem(changed, None, "", "changed while the build was reading "
                                       "it; the next build rebuilds this topic", "warning"))
    return result


def _build_outputs(loaded: LoadedDocument, options: BuildOptions,
                   result: TopicResult) -> dict[Path, bytes | str]:
    """Each audience's HTML and PDF, checked: the files to write, by path."""
    from ..render.selfcontained import reference_problems

    doc = loaded.doc
    topic_dir = options.out_dir / doc.topic
    pending: dict[Path, bytes | str] = {}
    for audience in options.audiences:
        html_path = topic_dir / f"{audience}.html"
        pdf_path = topic_dir / f"{audience}.pdf"
        html = render_html(doc, audience, options.render)  # with the no-fetch policy
        out = check_output(loaded, audience, html, html_path)
        if "html" in options.formats:  # a page that fetches nothing (the PDF's fetcher is locked)
            out.problems += reference_problems(html, output=str(html_path))
        out.problems += public_leaks(loaded, html, html_path)
        out.score = score_output(html, audience, loaded, options)
        out.misses = list(getattr(out.score, "misses", []))
        out.main_words = main_words(out.score)
        if options.strict and out.misses:
            out.problems += [Problem(str(html_path), None, "readability", f"over target: {m}")
                             for m in out.misses]
        page_texts: tuple[str, ...] = ()
        files: dict[Path, bytes | str] = {}
        if "html" in options.formats:
            files[html_path] = html
        if "pdf" in options.formats and out.ok:
            data, page_texts = _checked_pdf(loaded, audience, html, pdf_path, options, out)
            if data is not None:
                files[pdf_path] = data
        budget_check(out, options, pdf_path)
        from ..guards.commcheck import evaluate

        out.communication = evaluate(doc, audience, html, page_texts)
        out.paths = list(files)
        if out.ok:  # the HTML and the PDF of an audience go together or not at all
            pending.update(files)
            out.written = True
        result.outputs.append(out)
    return pending


def _checked_pdf(loaded: LoadedDocument, audience: Audience, html: str, pdf_path: Path,
                 options: BuildOptions, out: OutputResult) -> tuple[bytes | None, tuple[str, ...]]:
    """One audience's PDF, its caveats proven on the laid-out pages and again in the text
    read back, its leaks and pages checked (problems go to ``out``); the bytes (None when the
    render failed) and each page's text."""
    from ..guards.caveats import prove_present, prove_seen
    from ..guards.pages import count_pages
    from ..pdf.content_stream import pdf_text
    from ..pdf.render import PdfRenderError

    doc = loaded.doc

    def seen_check(seen, audience=audience, where=str(pdf_path)):
        return prove_seen(doc, audience, seen, output=where)

    try:  # caveats proven on the laid-out pages, then in the text layer read back
        data, seen_problems = _render_pdf(html, pdf_path, options, seen_check)
    except PdfRenderError as exc:  # e.g. no lang, an image without alt, a refused URL
        out.problems += [Problem(str(pdf_path), None, "pdf", m) for m in exc.messages]
        return None, ()
    out.problems += seen_problems
    if data is None:
        return None, ()
    text = pdf_text(data, furniture=False)  # a caveat reads across page breaks
    out.problems += prove_present(doc, audience, text, output=str(pdf_path))
    out.problems += public_leaks(loaded, pdf_text(data), pdf_path, html_input=False)
    count = count_pages(data)
    out.pages, out.main_pages = count.total, count.main
    return data, count.page_texts


def _note_logo(snapshot: Any, options: BuildOptions, config_files: list[Path]) -> None:
    """Tie the logo's recorded hash to the bytes embedded in the page (its data: URI)."""
    import base64
    import binascii

    from .output import data_hash

    uri = options.render.brand.get("logo") if isinstance(options.render.brand, dict) else None
    if len(config_files) < 2 or not isinstance(uri, str) or ";base64," not in uri:
        return
    try:
        data = base64.b64decode(uri.split(";base64,", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return
    snapshot.read(config_files[1], data_hash(data))


def _render_pdf(html: str, pdf_path: Path, options: BuildOptions,
                check: Any = None) -> tuple[bytes | None, list[Problem]]:
    """WeasyPrint's PDF; its own crashes on a template's CSS are bad input, not a tool crash.

    WeasyPrint raises plain KeyError, AssertionError... on some CSS it cannot lay out
    (``transform: scale(0)`` in its tagger, a floated ``::first-letter`` of a list item): the
    template is at fault, so it is one line naming it, exit 2. An OSError is the environment's.
    """
    from ..pdf.render import PdfRenderError, render_pdf_seen

    try:  # ``check`` sees the laid-out pages before the PDF is written (pdf.render_pdf_seen)
        return render_pdf_seen(html, asset_dirs(options), options.pdf_variant, check=check)
    except (PdfRenderError, OSError, MemoryError):
        raise
    except Exception as exc:
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        template = options.render.templates
        blame = (f"a template or style.css in {template}" if template
                 else "the built-in templates with this findings file")
        raise InputError([Problem(str(pdf_path), None, "pdf",
                                  f"WeasyPrint could not lay out {blame} ({type(exc).__name__}"
                                  f"{': ' + detail if detail else ''} in {where}); simplify "
                                  "the CSS it uses (transforms, floats, ::first-letter)")]
                         ) from None


def main_words(score: Any) -> int | None:
    """Body words of the main part: every scored section except the appendix ones."""
    sections = getattr(score, "sections", None)
    if sections is None:
        return None
    return sum(s.scores.words for s in sections if not str(s.id).startswith("appendix"))


def budget_check(out: OutputResult, options: BuildOptions, pdf_path: Path) -> None:
    """Main-part pages and words against the audience's budget; errors with --strict."""
    from ..readability.targets import load_targets
    from ..render.html import PAPER_SIZES

    target = (options.targets or load_targets()).get(out.audience)
    if target is None:
        return
    paper = PAPER_SIZES[options.render.paper]
    out.budget = target.describe_budget(paper)
    out.budget_misses = target.check_budget(out.main_pages, out.main_words, paper)
    if options.strict:
        out.problems += [Problem(str(pdf_path), None, "budget", f"over budget: {m}")
                         for m in out.budget_misses]


def public_leaks(loaded: LoadedDocument, text: str, path: Path,
                 html_input: bool = True) -> list[Problem]:
    """Editor-only material (source ids, raw file names, source notes) in a public output."""
    from .editor import doubled_full_stop, find_leaks

    if html_input:
        from ..seen.html import visible_text

        text = visible_text(text)
    problems = [Problem(str(path), None, "editor-material", leak) for leak in
                find_leaks(loaded.doc, text)]
    if doubled_full_stop(text):
        problems.append(Problem(str(path), None, "typography", "a doubled full stop ('..')",
                                "warning"))
    return problems


def render_topic_report(result: TopicResult, options: BuildOptions) -> str | None:
    from ..readability.targets import load_targets
    from ..render.selfcontained import with_csp
    from .report import ReportEntry, render_report

    targets = options.targets or load_targets()
    entries = [ReportEntry(topic=result.topic, audience=o.audience, score=o.score, targets=targets,
                           pages=o.main_pages, total_pages=o.pages, words=o.main_words,
                           budget=o.budget, budget_misses=o.budget_misses,
                           communication=o.communication)
               for o in result.outputs if o.score is not None]
    return with_csp(render_report(entries)) if entries else None


def render_topic_editor_sheet(result: TopicResult) -> str | None:
    if result.document is None:
        return None
    from ..render.selfcontained import with_csp
    from .editor import render_editor_sheet

    return with_csp(render_editor_sheet(result))
