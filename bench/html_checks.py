"""CPU of the per-output HTML checks, in the order a build runs them, on fresh topics.

    .venv/bin/python bench/html_checks.py [--topics 6] [--rounds 3] [--code CHECKOUT]

Each round writes new synthetic topics (bench/corpus.py, a new seed per round, so no topic's
own wording was met before, as in a batch), loads each, runs the data checks first as the
build does (not timed here: they fill the same per-process caches a build's would), renders
its three outputs, then times with ``time.process_time`` each HTML-side check of each
output: the visible text (``seen.html.visible_text``: our parse, the CSS cascade, the walk),
the claim guard on it (``guards.claims.output_problems``), the readability scores
(``build.topic.score_output``) and the communication check (``guards.commcheck.evaluate``).
It prints milliseconds per output for the best round of each, and their sum. One warm-up
round on the bundled examples comes first. ``--code`` runs another checkout's explainer
package (for a before/after on the same machine in the same minutes). Any failing check,
or a check that returns nothing, aborts with exit status 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CHECKS = ("visible_text", "output_problems", "score_output", "evaluate")


def _round(paths: list[Path], out: Path) -> dict[str, float]:
    """CPU seconds per check over every output of ``paths``; and the count of outputs."""
    from explainer.build.topic import BuildOptions, preflight, score_output
    from explainer.document.load import load_document
    from explainer.guards.claims import output_problems
    from explainer.guards.commcheck import evaluate
    from explainer.render.html import render_html
    from explainer.seen.html import visible_text

    options = BuildOptions(out_dir=out)
    spent = dict.fromkeys(CHECKS, 0.0)
    spent["outputs"] = 0
    for path in paths:
        loaded = load_document(path)
        preflight(loaded, None)
        for audience in options.audiences:
            html = render_html(loaded.doc, audience, options.render)
            start = time.process_time()
            text = visible_text(html)
            spent["visible_text"] += time.process_time() - start
            start = time.process_time()
            output_problems(loaded, audience, text, f"{audience}.html")
            spent["output_problems"] += time.process_time() - start
            start = time.process_time()
            score = score_output(html, audience, loaded, options)
            spent["score_output"] += time.process_time() - start
            start = time.process_time()
            items = evaluate(loaded.doc, audience, html, ())
            spent["evaluate"] += time.process_time() - start
            if not text.strip() or not items or not score.sections:
                raise SystemExit(f"{path.name} {audience}: a check returned nothing")
            spent["outputs"] += 1
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code", type=Path, help="a checkout whose explainer package to time")
    args = parser.parse_args()
    if args.code is not None:
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
        cmd = [sys.executable, __file__, "--topics", str(args.topics), "--rounds",
               str(args.rounds)]
        return subprocess.run(cmd, env=env, cwd=args.code, check=False).returncode

    sys.path.insert(0, str(BENCH))
    from corpus import make_corpus

    import explainer

    with tempfile.TemporaryDirectory(prefix="html-checks-") as tmp:
        work = Path(tmp)
        bundled = sorted((REPO / "seeds").glob("*.yaml"))
        _round(bundled or make_corpus(work / "warm", 1, seed=999), work / "out")
        best: dict[str, float] = {}
        for r in range(args.rounds):
            paths = make_corpus(work / f"round{r}", args.topics, seed=100 + r)
            spent = _round(paths, work / "out")
            n = spent.pop("outputs")
            for check, seconds in spent.items():
                best[check] = min(best.get(check, seconds / n), seconds / n)
    print(f"explainer from {Path(explainer.__file__).parent}")
    print(f"best of {args.rounds} rounds of {args.topics} new topics (3 outputs each), "
          "CPU ms per output:")
    for check in CHECKS:
        print(f"  {check:16s} {best[check] * 1000:6.2f}")
    print(f"  {'sum':16s} {sum(best.values()) * 1000:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
