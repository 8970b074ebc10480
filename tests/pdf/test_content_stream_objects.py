"""The text-object scan the PDF read-back uses (bytes.find) finds exactly the text objects
the reader's documented pattern finds, on WeasyPrint's content and on edge cases of it."""

from __future__ import annotations

import random

import pytest

from explainer.pdf import content_stream as stream

EDGES = [
    b"BT 1 0 0 1 0 0 Tm ET",
    b"BT\n/F1 9 Tf [<0001>] TJ\nET\n",
    b"xBT a ET BT b ET",  # a BT after a letter starts nothing
    b"]BT a ET>BT b ET",
    b"BT a ETX ET",  # an ET before a letter ends nothing
    b"BT a ET[ BT b\tET(",
    b"BT a BT b ET c ET",  # the first ET after the BT ends it
    b"BT no end",
    b"BT a ET BT no end",
    b"BTET BT",
    b"BT",
    b"",
    b"q BT\x0ba\x0bET\x0cQ",
    b"BT aET ET",  # an ET after a letter ends nothing
    b"BT BT ET ET",
]


def regex_objects(content: bytes) -> list[tuple[int, bytes]]:
    return [(m.start(), m[1]) for m in stream._TEXT_OBJECT.finditer(content)]


@pytest.mark.parametrize("content", EDGES)
def test_edge_cases_are_scanned_as_the_pattern_scans_them(content):
    assert list(stream._text_objects(content)) == regex_objects(content)


def test_random_operator_soup_is_scanned_as_the_pattern_scans_it():
    rng = random.Random(15)
    tokens = [b"BT", b"ET", b" ", b"\n", b"]", b">", b"<", b"[", b"/", b"(", b"x", b"Tm", b"1"]
    for _ in range(3000):
        content = b"".join(rng.choice(tokens) for _ in range(rng.randrange(1, 24)))
        assert list(stream._text_objects(content)) == regex_objects(content), content
