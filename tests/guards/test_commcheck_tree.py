"""The communication check decides every item on the tree the visible-text extraction already
parsed, exactly as it did on a second, full HTML5 parse (tinyhtml5): same status and detail
for every item of every bundled and benchmark-corpus output, with and without PDF pages."""

from __future__ import annotations

import sys

import pytest
from conftest import BENCH, COFFEE, MASAI
from conftest import BUNDLED as KETAMINE

from explainer.document.load import load_document
from explainer.document.model import AUDIENCES
from explainer.guards.commcheck import evaluate, evaluate_tree
from explainer.render.html import RenderOptions, render_html
from explainer.seen.html import extract


def _outputs(tmp_path_factory: pytest.TempPathFactory):
    sys.path.insert(0, str(BENCH))
    from corpus import make_corpus

    paths = [KETAMINE, COFFEE, MASAI, *make_corpus(tmp_path_factory.mktemp("corpus"), 2)]
    for path in paths:
        doc = load_document(path).doc
        for audience in AUDIENCES:
            yield path.stem, doc, audience, render_html(doc, audience, RenderOptions())


def test_commcheck_on_the_shared_tree_matches_a_full_html5_parse(tmp_path_factory):
    import tinyhtml5

    checked = 0
    for name, doc, audience, html in _outputs(tmp_path_factory):
        extracted = extract(html)
        assert extracted.root is not None
        text = extracted.text()
        # No pages; the key messages on page 1; page 1 without them (the PDF probe fails).
        for pages in ((), (text, "more"), ("A page about something else.",)):
            shared = evaluate(doc, audience, html, pages)
            full = evaluate_tree(doc, audience,
                                 tinyhtml5.parse(html, namespace_html_elements=False),
                                 extracted, pages)
            assert shared == full, (name, audience, pages[:1])
            checked += len(shared)
    assert checked > 5 * 3 * 3 * 10  # every output, every page variant, all their items
