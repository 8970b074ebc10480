"""Time the per-topic work around rendering: loading, each data check, render_html.

Builds a synthetic corpus (bench/corpus.py) and, per topic, times in CPU milliseconds
(time.process_time): load_document, every check of guards.checks.DATA_CHECKS (the pre-flight
`build` runs), and render_html for the three audiences as the build renders them (inside the
topic's rules_fired_once and document_converted_once). Each topic is a first pass: the claim
guard's held sentence matches are dropped before it, so nothing is carried over from the topic
before. Prints the best of --runs passes over the corpus, per topic (render: per document).
Fails loudly when a topic does not load or a check raises or reports an error.

Usage: python bench/data_checks.py [--topics N] [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from corpus import make_corpus

    from explainer.document.audiences import AUDIENCES
    from explainer.document.load import load_document
    from explainer.guards import claims
    from explainer.guards.caveats import rules_fired_once
    from explainer.guards.checks import DATA_CHECKS, accept_warnings
    from explainer.problems import errors
    from explainer.render.html import RenderOptions, render_html
    from explainer.render.plain import document_converted_once

    with tempfile.TemporaryDirectory(prefix="data-checks-") as work:
        paths = make_corpus(Path(work), args.topics + 1)
        best: dict[str, float] = {}
        for run in range(args.runs + 1):  # the first run warms rules, templates and imports
            spent: dict[str, float] = defaultdict(float)
            for path in paths[1:] if run else paths[:1]:
                start = time.process_time()
                loaded = load_document(path)
                spent["load_document"] += time.process_time() - start
                # A first pass: no sentence matches held from another topic or run.
                claims._compiled(claims._DrugKey.of(loaded.doc)).scans.clear()
                problems = []
                for check in DATA_CHECKS:
                    start = time.process_time()
                    problems += check(loaded, None, False)
                    spent[check.__name__] += time.process_time() - start
                if errors(accept_warnings(loaded, problems)):
                    raise SystemExit(f"{path.name}: the data checks report errors: "
                                     f"{errors(problems)[:3]}")
                start = time.process_time()
                with rules_fired_once(loaded.doc), document_converted_once(loaded.doc):
                    for audience in AUDIENCES:
                        render_html(loaded.doc, audience, RenderOptions())
                spent["render_html"] += time.process_time() - start
            if run:
                for name, total in spent.items():
                    best[name] = min(best.get(name, total), total)
    topics = args.topics
    checks = sum(v for k, v in best.items() if k not in ("load_document", "render_html"))
    print(f"{topics} topics, best of {args.runs} first passes, CPU ms")
    print(f"  {'load_document':22s} {best['load_document'] / topics * 1000:7.2f} per topic")
    print(f"  {'data checks (preflight)':22s} {checks / topics * 1000:7.2f} per topic")
    for check in DATA_CHECKS:
        print(f"    {check.__name__:20s} {best[check.__name__] / topics * 1000:7.2f}")
    print(f"  {'render_html':22s} {best['render_html'] / topics / 3 * 1000:7.2f} per document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
