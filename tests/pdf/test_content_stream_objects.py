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
    tokens = [b"BT", b"ET", b"BT ", b" ET", b" ET ", b" ", b"\n", b"]", b">", b"<", b"[", b"/",
              b"(", b"x", b"Tm", b"1"]
    found = 0
    for _ in range(3000):
        content = b"".join(rng.choice(tokens) for _ in range(rng.randrange(1, 24)))
        assert list(stream._text_objects(content)) == regex_objects(content), content
        found += bool(regex_objects(content))
    assert found > 500  # the soup holds text objects often enough to test the scan


ARTIFACT_EDGES = [
    b"q /Artifact BMC\nBT x ET\nEMC Q BT y ET",
    b"/Artifact <</Type /Pagination>> BDC\nBT x ET\nEMC\n/Span <</MCID 0>> BDC BT y ET EMC",
    b"/Artifact BMC /Span BMC x EMC EMC",  # holds marked content: kept as it is
    b"/Artifact BMC x EMCx EMC",  # an EMC before a word character ends nothing
    b"/Artifact BMC xEMC EMC",  # nor one after a non-space
    b"/Artifact BMC no end",
    b"/Artifact BMC a EMC /Artifact BMC no end",
    b"/Artifact BMCx EMC",
    b"/Artifact<<>>BDC a EMC",
    b"/Artifact <<nested <x> >> BDC a EMC",
    b"/Artifact BMC EMC",
    b"/Artifact BMC\tEMC(",
]


def regex_without_artifacts(content: bytes) -> bytes:
    return stream._ARTIFACT.sub(stream._drop_artifact, content)


@pytest.mark.parametrize("content", ARTIFACT_EDGES)
def test_artifacts_are_cut_as_the_pattern_cuts_them(content):
    assert stream._without_artifacts(content) == regex_without_artifacts(content)


def test_random_marked_content_soup_is_cut_as_the_pattern_cuts_it():
    rng = random.Random(15)
    tokens = [b"/Artifact BMC ", b"/Artifact <</Type /Pagination>> BDC\n", b"/Artifact", b"BMC",
              b"BDC", b"EMC", b" EMC", b" EMC ", b"\nEMC\n", b"<<", b">>", b" ", b"\n", b"x", b"_",
              b"/Span <</MCID 0>> BDC ", b"BT", b"ET", b"("]
    cut = 0
    for _ in range(3000):
        content = b"".join(rng.choice(tokens) for _ in range(rng.randrange(1, 24)))
        assert stream._without_artifacts(content) == regex_without_artifacts(content), content
        cut += regex_without_artifacts(content) != content
    assert cut > 500  # the soup holds artifacts often enough to test the cut


@pytest.mark.parametrize("array", [
    b"<0024>0<0003>30<0045>", b"<0024>-12.5<0003>", b"", b"<>", b"<><>1", b"3<00aF>4",
    b"<00 24>0<0003>", b"<0024>>0<0003>", b"<<0024>0", b"<0024", b"0024>", b"><", b"<0g24>0",
])
def test_tj_arrays_are_cut_as_the_hex_string_pattern_cuts_them(array):
    assert stream._split_array(array) == stream._HEX_STRING.split(array)
