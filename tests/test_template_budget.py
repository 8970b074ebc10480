"""A template rendered directly (report, editor sheet) is limited per render, not per process."""

from __future__ import annotations

import time

import pytest

from explainer import sandbox


def test_each_direct_render_gets_its_own_time_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.2)
    (tmp_path / "t.html").write_text("{% for i in range(3) %}{{ i }}{% endfor %}")
    template = sandbox.make_environment([tmp_path], {}).get_template("t.html")

    assert template.render() == "012"
    time.sleep(0.3)  # longer than the limit, between two renders: neither is over it
    assert template.render() == "012"


def test_a_direct_render_over_the_limit_is_still_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.0)
    (tmp_path / "t.html").write_text("{% for i in range(3) %}{{ i }}{% endfor %}")
    template = sandbox.make_environment([tmp_path], {}).get_template("t.html")

    with pytest.raises(sandbox.TemplateLimit):
        template.render()
