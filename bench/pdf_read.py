"""PDF text reading, the one reader against pypdf, on the bundled example's three PDFs.

Builds the bundled example once, then prints per PDF and in total (milliseconds, best of N
warm runs, CPU): `explainer score`'s read of a tagged PDF (structure tree + text by the one
reader, as now; and pypdf's structure reading, as before), the plain text of the PDF by the
one reader and by pypdf's extractor (score's old untagged path), and the build's read-back.
Fails loudly if a read gives no text or the two structure readings differ (the figure would
be meaningless).

    .venv/bin/python bench/pdf_read.py [RUNS]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from explainer.build.topic import BuildOptions, build_topic, bundled_example
from explainer.document.model import AUDIENCES
from explainer.pdf import structure
from explainer.pdf.content_stream import pdf_text
from explainer.pdf.reader import read_pdf_text

LIMITS = (2_000, 5_000_000)


def best(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times) * 1000


def pypdf_extract(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def paragraphs(blocks: list) -> list[str]:
    return [" ".join("".join(b.pieces).split()) for b in blocks]


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = build_topic(bundled_example(), BuildOptions(out_dir=Path(tmp)))
        pdfs = {a: (Path(tmp) / result.topic / f"{a}.pdf").read_bytes() for a in AUDIENCES}
    rows = []
    for audience, data in pdfs.items():
        fast = structure._read_fast(data, *LIMITS)
        slow = structure._read_with_pypdf(data, *LIMITS)
        if fast is structure._DECLINED or not fast or paragraphs(fast) != paragraphs(slow):
            sys.exit(f"{audience}.pdf: the structure readings differ or the fast one declined")
        for text in (read_pdf_text(data), pypdf_extract(data), pdf_text(data, False)):
            if not text.strip():
                sys.exit(f"{audience}.pdf: a reader gave no text")
        rows.append((audience, [
            best(lambda d=data: structure._read_fast(d, *LIMITS), runs),
            best(lambda d=data: structure._read_with_pypdf(d, *LIMITS), runs),
            best(lambda d=data: read_pdf_text(d, max_pages=LIMITS[0], max_chars=LIMITS[1]), runs),
            best(lambda d=data: pypdf_extract(d), runs),
            best(lambda d=data: pdf_text(d, False), runs)]))
    print(f"PDF text reading, CPU ms, best of {runs} warm runs (bundled example)\n")
    print("| PDF | score, tagged: one reader | score, tagged: pypdf (before) "
          "| plain text: one reader | plain text: pypdf (before) | build read-back |")
    print("|---|---|---|---|---|---|")
    totals = [sum(col) for col in zip(*(r[1] for r in rows), strict=True)]
    for name, cells in [*rows, ("total", totals)]:
        print(f"| {name} | " + " | ".join(f"{c:.0f}" for c in cells) + " |")
    print(f"\nscore's tagged read: {totals[1] / totals[0]:.1f}x faster with the one reader")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
