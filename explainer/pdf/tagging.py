"""PDF/UA tagging WeasyPrint leaves undone: content no structure element reaches (running
footer, page numbers in the margin boxes) is re-marked as pagination artifacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def furniture_as_artifacts(document: Any, pdf: Any) -> None:
    """Re-mark content that no structure element reaches as /Artifact (page furniture).

    WeasyPrint 70 builds structure elements for margin boxes but leaves them out of the
    tree (it could only put artifacts in the tree for PDF 2.0). Screen readers would then
    meet orphaned content; PDF/UA wants it marked as pagination artifacts instead.

    A ``write_pdf`` finisher: it edits WeasyPrint's objects before they are written, which
    is far cheaper than parsing the written file's content streams again.
    """
    objects = pdf.objects

    def deref(value: Any) -> Any:
        if isinstance(value, bytes) and value.endswith(b" R"):
            return objects[int(value.split()[0])]
        return value

    tree = deref(pdf.catalog.get("StructTreeRoot"))
    if tree is None:
        return
    reachable = _reachable(tree, deref)
    nums = deref(tree["ParentTree"])["Nums"]
    parents = {nums[i]: deref(nums[i + 1]) for i in range(0, len(nums), 2)}
    for number in pdf.pages["Kids"][::3]:  # pydyf keeps Kids flat: number, 0, "R", ...
        page = objects[number]
        refs = parents.get(page.get("StructParents"))
        if not isinstance(refs, list):
            continue
        orphans = {mcid for mcid, ref in enumerate(refs)
                   if isinstance(ref, bytes) and ref not in reachable}
        if not orphans:
            continue
        _mark_artifacts(deref(page["Contents"]).stream, orphans)
        for mcid in orphans:
            refs[mcid] = "null"


def _reachable(tree: Any, deref: Callable[[Any], Any]) -> set[bytes]:
    """References (b"N 0 R") of every object the structure tree reaches from its root."""
    reachable: set[bytes] = set()
    stack = [tree.get("K")]
    while stack:
        node = stack.pop()
        if isinstance(node, bytes) and node.endswith(b" R"):
            if node in reachable:
                continue
            reachable.add(node)
            node = deref(node)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "K" in node:
            stack.append(node["K"])
    return reachable


def _mark_artifacts(ops: list[Any], orphans: set[int]) -> None:
    """Turn the marked-content sequences of ``orphans`` (MCIDs) in a page's operators
    ("/Tag", {"MCID": n}, b"BDC", ...) into pagination artifacts."""
    import pydyf

    for i in range(1, len(ops) - 1):
        item = ops[i]
        if isinstance(item, dict) and item.get("MCID") in orphans and ops[i + 1] == b"BDC":
            ops[i - 1] = "/Artifact"
            ops[i] = pydyf.Dictionary({"Type": "/Pagination"})
