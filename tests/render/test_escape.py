"""HTML-special characters in any text field come out escaped in every audience's HTML."""

from __future__ import annotations

import pytest
import yaml
from conftest import MIN_TOPIC

from explainer.document.model import AUDIENCES, Document
from explainer.render.html import render_html

HOSTILE = "<script>alert('x')</script> & \"quoted\" <b>bold</b>"


def poison(node):
    """Append the hostile string to every free-text string in the findings data."""
    if isinstance(node, dict):
        return {k: (poison(v) if k not in SKIP else v) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v) for v in node]
    if isinstance(node, str):
        return node + " " + HOSTILE
    return node


# Keys whose values are identifiers, enums or placeholders-bearing templates, not free text.
SKIP = {"id", "topic", "study", "source", "kind", "status", "design", "blinding", "subjects",
        "mandatory_for", "file", "date", "language", "role", "audiences", "sources_dir",
        "reported_by", "quote", "doi", "version", "figures", "value", "unit"}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_hostile_text_is_escaped(audience):
    data = poison(yaml.safe_load(MIN_TOPIC.read_text()))
    doc = Document.model_validate(data)
    html = render_html(doc, audience)
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
