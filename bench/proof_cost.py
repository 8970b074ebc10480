"""CPU cost of proving caveats by what a person sees, on the bundled example's three outputs.

Prints, per audience and in total (CPU seconds, best of N warm runs): WeasyPrint's own work
(layout + write_pdf), the laid-out-box check (pdf_seen), the HTML cascade check (css_seen via
html_text.extract), the PDF text read-back, and a whole warm `build_topic` for comparison.
Fails loudly if any check fails on the bundled example (the figure would be meaningless).

    .venv/bin/python bench/proof_cost.py [RUNS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from explainer.build.topic import BuildOptions, asset_dirs, build_topic, bundled_example
from explainer.document.load import load_document
from explainer.document.model import AUDIENCES
from explainer.guards.caveats import prove_seen, prove_visible_html
from explainer.pdf import render as pdf
from explainer.render.html import RenderOptions, render_html
from explainer.render.selfcontained import with_csp
from explainer.seen import html as html_text
from explainer.seen.pdf import seen_text


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main(runs: int) -> None:
    from weasyprint import HTML

    path = bundled_example()
    doc = load_document(path).doc
    dirs = asset_dirs(BuildOptions())
    pdf.warm_up()
    totals = dict.fromkeys(("weasyprint", "boxes", "cascade", "readback"), 0.0)
    for audience in AUDIENCES:
        html = with_csp(render_html(doc, audience, RenderOptions()))
        problems = prove_visible_html(doc, audience, html, audience)
        data, seen_problems = pdf.render_pdf_seen(
            html, dirs, check=lambda seen, a=audience: prove_seen(doc, a, seen, a))
        if problems or seen_problems or data is None:
            sys.exit(f"{audience}: the bundled example fails the proof: {problems + seen_problems}")
        document = HTML(string=html, base_url=str(dirs[0]) + "/").render(
            font_config=pdf.font_config())

        def weasy(html=html):
            HTML(string=html, base_url=str(dirs[0]) + "/").render(
                font_config=pdf.font_config()).write_pdf(pdf_tags=True)

        def cascade(html=html):
            html_text.extract.cache_clear()
            html_text.extract(html)

        figures = {"weasyprint": best(weasy, runs),
                   "boxes": best(lambda d=document: seen_text(d), runs),
                   "cascade": best(cascade, runs),
                   "readback": best(lambda d=data: pdf.pdf_text(d, furniture=False), runs)}
        for k, v in figures.items():
            totals[k] += v
        print(f"{audience:10} " + "  ".join(f"{k} {v * 1000:6.1f} ms" for k, v in figures.items()))
    print(f"{'total':10} " + "  ".join(f"{k} {v * 1000:6.1f} ms" for k, v in totals.items()))
    print(f"laid-out-box check: {totals['boxes'] / totals['weasyprint']:.1%} of WeasyPrint's "
          f"own work; cascade check {totals['cascade'] / totals['weasyprint']:.1%}")

    def build() -> None:
        result = build_topic(path, BuildOptions(out_dir=Path(tempfile.mkdtemp()), report=False))
        if not result.ok:
            sys.exit(f"build failed: {[str(p) for o in result.outputs for p in o.problems]}")

    build()
    print(f"warm build_topic (3 audiences, HTML + PDF): {best(build, runs):.3f} s CPU")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
