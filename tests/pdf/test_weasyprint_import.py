"""WeasyPrint is imported without ctypes' library look-ups, and still renders."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = r"""
import ctypes.util
calls = []
original = ctypes.util.find_library
ctypes.util.find_library = lambda name: calls.append(name) or original(name)
from explainer.pdf.weasyprint_import import load_weasyprint
weasyprint = load_weasyprint()
assert ctypes.util.find_library is not original  # ours again, as before the import
pdf = weasyprint.HTML(string="<p lang=en>Hello</p>").write_pdf()
assert pdf[:5] == b"%PDF-"
print(len(calls))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the look-ups skipped on Linux")
def test_weasyprint_imports_without_a_single_library_look_up_and_renders():
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0"]  # the usual import makes 22 of them


def test_the_loader_returns_the_module_already_imported():
    from explainer.pdf.weasyprint_import import load_weasyprint

    first = load_weasyprint()
    assert load_weasyprint() is first is sys.modules["weasyprint"]
