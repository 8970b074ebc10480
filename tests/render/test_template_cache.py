"""Compiled built-in templates are kept between runs (explainer.render.template_cache), and the
cache never serves stale code, never code from a user's template folder and never stops a
build: a changed template, or a changed sandbox, compiles again; an unusable folder means
compiling every time."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jinja2
import pytest
from conftest import MIN_TOPIC

from explainer.document.load import load_document
from explainer.render import html
from explainer.render.html import RenderOptions, render_html
from explainer.render.sandbox import make_environment, render
from explainer.render.template_cache import template_cache


def counted_env(folders: list[Path], cache_dir: Path | str, cached: list[Path] | None = None,
                filters: dict | None = None) -> tuple[jinja2.Environment, list[str]]:
    """A sandbox over ``folders`` with a cache in ``cache_dir`` for ``cached`` (default: the
    first folder), and the list of template names it compiled from source."""
    env = make_environment(folders, filters or {})
    env.bytecode_cache = template_cache(env, cached if cached is not None else folders[:1],
                                        str(cache_dir))
    compiled: list[str] = []
    compile_source = env.compile

    def compile_and_note(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(source, name, filename, raw, defer_init)

    env.compile = compile_and_note  # type: ignore[method-assign]
    return env, compiled


def page(env: jinja2.Environment, name: str = "page.html") -> str:
    return render(env.get_template(name), {"who": "reader"})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "base.html").write_text("<p>{% block body %}{% endblock %}</p>\n")
    (templates / "page.html").write_text(
        '{% extends "base.html" %}{% block body %}Hello {{ who }}{% endblock %}\n')
    return templates


def test_a_second_process_loads_the_compiled_templates_instead_of_compiling(folder, tmp_path):
    env, compiled = counted_env([folder], tmp_path / "cache")
    first = page(env)
    assert sorted(compiled) == ["base.html", "page.html"]
    assert len(list((tmp_path / "cache").glob("__explainer_*.cache"))) == 2

    again, compiled_again = counted_env([folder], tmp_path / "cache")  # as a new run would
    assert page(again) == first == "<p>Hello reader</p>"
    assert compiled_again == []


def test_a_changed_template_is_compiled_again_and_its_new_text_shown(folder, tmp_path):
    env, _ = counted_env([folder], tmp_path / "cache")
    assert page(env) == "<p>Hello reader</p>"

    (folder / "page.html").write_text(
        '{% extends "base.html" %}{% block body %}Goodbye {{ who }}{% endblock %}\n')
    env, compiled = counted_env([folder], tmp_path / "cache")
    assert page(env) == "<p>Goodbye reader</p>"
    assert compiled == ["page.html"]  # base.html unchanged: still from the cache


def test_a_different_environment_never_gets_another_ones_compiled_code(folder, tmp_path):
    # Compiled code depends on the filters the environment has: a template that uses one
    # must meet the environment's own check, not code compiled where the filter existed.
    (folder / "page.html").write_text("{{ who | shout }}\n")
    env, _ = counted_env([folder], tmp_path / "cache", filters={"shout": str.upper})
    assert page(env) == "READER"

    env, compiled = counted_env([folder], tmp_path / "cache")
    with pytest.raises(jinja2.TemplateAssertionError, match="shout"):
        page(env)
    assert compiled == ["page.html"]


def test_templates_outside_the_cached_folders_are_compiled_every_time(folder, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "page.html").write_text('{% extends "base.html" %}{% block body %}Hi{% endblock %}')
    for _ in range(2):
        env, compiled = counted_env([user, folder], tmp_path / "cache", cached=[folder])
        assert page(env) == "<p>Hi</p>"
    assert compiled == ["page.html"]  # the user's page again; base.html from the cache
    assert len(list((tmp_path / "cache").glob("*.cache"))) == 1


def test_a_folder_that_refuses_writes_means_compiling_not_failing(folder, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    for _ in range(2):
        env, compiled = counted_env([folder], blocker / "cache")
        assert page(env) == "<p>Hello reader</p>"
        assert sorted(compiled) == ["base.html", "page.html"]


def test_a_folder_gone_before_the_write_means_compiling_not_failing(folder, tmp_path):
    env, compiled = counted_env([folder], tmp_path / "cache")
    (tmp_path / "cache").rmdir()  # removed (or made read-only) after the run began
    assert page(env) == "<p>Hello reader</p>"
    assert sorted(compiled) == ["base.html", "page.html"]
    assert not (tmp_path / "cache").exists()


def test_a_damaged_entry_is_compiled_again(folder, tmp_path):
    env, _ = counted_env([folder], tmp_path / "cache")
    page(env)
    for entry in (tmp_path / "cache").glob("*.cache"):
        entry.write_bytes(entry.read_bytes()[:40])  # cut short

    env, compiled = counted_env([folder], tmp_path / "cache")
    assert page(env) == "<p>Hello reader</p>"
    assert sorted(compiled) == ["base.html", "page.html"]


def test_an_unsafe_default_folder_is_never_used(folder, tmp_path, monkeypatch):
    # Another user's planted folder (here a symlink to one anybody may write) in the temp
    # folder where the per-user cache would be: no cache, compiled templates as before.
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o777)
    temp = tmp_path / "tmp"
    temp.mkdir()
    (temp / f"_jinja2-cache-{os.getuid()}").symlink_to(planted)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    env = make_environment([folder], {})
    assert template_cache(env, [folder]) is None
    assert list(planted.iterdir()) == []


def test_the_built_in_templates_render_the_same_from_the_cache():
    doc = load_document(MIN_TOPIC).doc
    html.environment.cache_clear()
    cold = render_html(doc, "patient", RenderOptions())
    html.environment.cache_clear()  # a new environment, as in the next run
    cache = html.environment(None).bytecode_cache
    assert cache is not None and cache.directory.endswith(f"_jinja2-cache-{os.getuid()}")
    assert render_html(doc, "patient", RenderOptions()) == cold


@pytest.mark.parametrize("module, name", [("explainer.build.report", "report.html"),
                                          ("explainer.readability.score_report",
                                           "score_report.html")])
def test_the_report_templates_are_kept_too(module, name, monkeypatch):
    import importlib

    environment = importlib.import_module(module)._environment
    environment.cache_clear()
    environment().get_template(name)  # compiled now, or loaded if an earlier run kept it
    environment.cache_clear()
    env = environment()
    compiled: list[str] = []
    compile_source = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(a[1]) or
                        compile_source(*a, **k))
    assert env.get_template(name).name == name
    assert compiled == []
    environment.cache_clear()
