"""The loader's direct build of plain YAML gives what the safe constructor gives, or the
same error: for the bundled rule files, the seeds and values of every type and tag."""

from __future__ import annotations

import math

import pytest
import yaml
from conftest import FIXTURES, REPO, SEEDS

from explainer.document.load import _construct
from explainer.document.yaml_errors import SAFE_LOADER

# Values of every type and tag a hand or a tool might write (as in test_fuzz_loader).
SWAPS = [
    "", "~", "null", "yes", "no", "0", "-1", "1e400", "3.5", ".nan", "[]", "{}", "[1, [2, [3]]]",
    "{a: {b: c}}", "2024-02-30", "2024-13-01", "2024-01-31", "!!float abc", "!!int 12x",
    "!!bool maybe", "!!binary '@@@'", "!!binary aGk=", "!!timestamp 2024-99-99",
    "!!python/object:os.system x", "!!set [1]", "&a x", "*a", "<<: 3", "'unterminated",
    '"\\ud800"', "0b_", "0o17", "0x1F", "1:30", "._", "'quoted'", "{[1]: 2}", "{? [1]: 2}",
]
FILES = sorted([*(REPO / "explainer" / "rules").glob("*.yaml"), *SEEDS.glob("*.yaml"),
                *FIXTURES.rglob("*.yaml")])
SNIPPETS = [f"a: {s}\nb: [x, {{c: {s}}}]\n" for s in SWAPS] + [
    "a: &x {b: 1}\nc: *x\n", "a: {b: 1}\n<<: {c: 2}\n", "a: 1\na: 2\n", "? [1]\n: 2\n",
    "a: !!str 3\nb: !!map {}\nc: !!seq []\n", "a: !!str [1]\n", "a:\n  " + "- " * 300 + "x\n",
    "a: !!omap [{x: 1}]\nb: !!pairs [{y: 2}]\n", "1: one\ntrue: yes\n~: null\n",
]


def _outcome(text: str, build) -> object:
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        return ("data", build(loader, node)) if node is not None else ("data", None)
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc).__name__, str(exc))
    finally:
        loader.dispose()


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in FILES] + SNIPPETS)
def test_plain_build_equals_the_safe_constructor(text: str):
    plain = _outcome(text, _construct)
    safe = _outcome(text, lambda loader, node: loader.construct_document(node))
    assert _same(plain, safe), (plain, safe)


def test_the_files_compared_are_real():
    assert len(FILES) > 15 and all(isinstance(yaml.safe_load(p.read_text()), dict)
                                   for p in FILES if "rules" in p.parts)
