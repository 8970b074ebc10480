"""A template folder from someone else cannot run code, read files or hang the build.

Templates get plain data (explainer.render.plain) in a limited sandbox
(explainer.render.sandbox). Each gadget below is a real attack on Jinja sandboxes or on the
objects we used to pass in (a pydantic model's parse_raw runs pickle); each runs through the
real renderer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIN_TOPIC, REPO

from explainer.document.load import load_document
from explainer.problems import InputError
from explainer.render import sandbox
from explainer.render.html import RenderOptions, render_html
from explainer.render.plain import Record, plain

PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_text().split("\n", 1)[0] if PASSWD.is_file() else "root:x:0:0"


def pickle_payload(marker: Path) -> str:
    return f"cos\\nsystem\\n(S'touch {marker}'\\ntR."


GADGETS = {
    "parse_raw pickle": '{{ doc.parse_raw("PAYLOAD", proto="pickle", allow_pickle=True) }}',
    "nested model parse_raw": '{{ doc.studies[0].parse_raw("PAYLOAD", proto="pickle", '
                              'allow_pickle=True) }}',
    "view.doc parse_raw": '{{ view.doc.parse_raw("PAYLOAD", proto="pickle", allow_pickle=True) }}',
    "model_validate_json": "{{ doc.model_validate_json('{}') }}",
    "parse_file": '{{ doc.parse_file("/etc/passwd") }}',
    "model_dump": "{{ doc.model_dump() }}",
    "__class__": "{{ doc.__class__ }}",
    "__class__ mro subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr filter __class__": '{{ (doc | attr("__class__")).__init__ }}',
    "getitem __class__": "{{ doc['__class__'] }}",
    "__init__ __globals__": "{{ view.__init__.__globals__ }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch MARK') }}",
    "joiner globals": "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].system('touch MARK') }}",
    "namespace globals": "{{ namespace.__init__.__globals__ }}",
    "range globals": "{{ range.__globals__ }}",
    "self reference": "{{ self.__init__.__globals__ }}",
    "self context": "{{ self._TemplateReference__context.environment }}",
    "format attribute walk": '{{ "{0.__class__.__mro__}".format(doc) }}',
    "format_map": '{{ "{x}".format_map(doc) }}',
    "method on data": "{{ doc.title.encode() }}",
    "dict global mutate": "{% set d = dict(a=1) %}{{ d.update(b=2) }}",
    "attribute walk to module": "{{ doc.title.__class__.__base__.__subclasses__() }}",
    "join attribute walk": '{{ doc.sources | join(",", attribute="__class__") }}',
    "map attribute walk": '{{ doc.sources | map(attribute="__class__") | list }}',
    "sort attribute walk": '{{ doc.sources | sort(attribute="__class__.__init__") }}',
    "loop walk": "{% for s in doc.sources %}{{ s.__class__.__init__.__globals__ }}{% endfor %}",
    "items walk": "{% for k, v in doc.items() %}{{ v.model_fields }}{% endfor %}",
    "namespace private": "{% set ns = namespace() %}{{ ns._Namespace__attrs }}",
    "record private": "{{ doc._data }}",
    "macro globals": "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "import os": '{% import "os" as os %}{{ os }}',
    "include passwd": '{% include "/etc/passwd" %}',
    "include parent": '{% include "../../../../../../etc/passwd" %}',
}


@pytest.fixture(scope="module")
def doc():
    return load_document(MIN_TOPIC).doc


def render_with(tmp_path: Path, doc, template: str, audience: str = "patient") -> str:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / f"{audience}.html").write_text(template)
    return render_html(doc, audience, RenderOptions(templates=folder))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(GADGETS))
def test_gadget_cannot_run_code_or_read_a_file(tmp_path, doc, name):
    marker = tmp_path / "pwned"
    template = GADGETS[name].replace("PAYLOAD", pickle_payload(marker)).replace(
        "MARK", str(marker))
    try:
        html = render_with(tmp_path, doc, template)
    except InputError as exc:
        [problem] = exc.problems  # one line, naming our template
        assert problem.file.endswith("patient.html") and problem.key == "template", problem
        assert SECRET not in str(problem)
    else:
        assert SECRET not in html
        assert "<class" not in html and "function" not in html and "module" not in html, html
    assert not marker.exists(), f"{name} ran a shell command"


def test_context_is_plain_immutable_data(doc):
    from pydantic import BaseModel

    data = plain({"doc": doc})

    def walk(value):
        assert not isinstance(value, BaseModel)
        assert isinstance(value, (Record, tuple, str, int, float, bool, type(None))), type(value)
        if isinstance(value, Record):
            for v in value.values():
                walk(v)
        elif isinstance(value, tuple):
            for v in value:
                walk(v)

    walk(data)
    assert data["doc"]["title"] == doc.title
    with pytest.raises(TypeError):
        data["doc"]["title"] = "changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        data["doc"].title = "changed"


def test_a_field_named_like_a_mapping_method_is_the_field(tmp_path, doc):
    html = render_with(tmp_path, doc, "{% for d in doc.disagreements %}{% endfor %}"
                       "{{ doc.title }}|{{ brand.colours.items() | list | length }}")
    assert html == f"{doc.title}|0"


LIMITS = {
    "nested loops": "{% for a in range(1000) %}{% for b in range(1000) %}"
                    "{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}",
    "output size": "{% for a in range(100000) %}{{ 'x' * 200 }}{% endfor %}",
    "captured output": "{% set s %}{% for a in range(100000) %}" + "y" * 300 +
                       "{% endfor %}{% endset %}",
    "repetition": "{{ 'x' * 10000000000 }}",
    "concat doubling": "{% set a = 'x' * 1000 %}" + "".join(
        "{% set a = a ~ a %}" for _ in range(40)),
    "namespace doubling": "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
                          "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "block doubling": "{% set a = 'x' %}" + "".join(
        "{% set a %}{{ a }}{{ a }}{% endset %}" for _ in range(40)),
    "power": "{{ 10 ** 10 ** 10 }}",
    "squaring": "{% set ns = namespace(n=3) %}{% for i in range(100) %}"
                "{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "replace bomb": "{{ ('x' * 1000) | replace('x', 'x' * 1000) | replace('x', 'x' * 1000) }}",
    "join bomb": "{{ range(100000) | map('string') | join('z' * 1000) }}",
    "center": "{{ doc.title.center(1000000000) }}",
    "format padding": '{{ "{:>1000000000}".format(1) }}',
    "percent padding": '{{ "%1000000000s" % 1 }}',
    "recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "branching recursion": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                           "{% endmacro %}{{ f(60) }}",
    "divide by zero": "line one\n{{ 1 // 0 }}",
    "undefined": "{{ nothing.here }}",
}


@pytest.mark.parametrize("name", list(LIMITS))
def test_runaway_or_failing_template_is_one_line_bad_input(tmp_path, doc, name):
    with pytest.raises(InputError) as caught:
        render_with(tmp_path, doc, LIMITS[name])
    [problem] = caught.value.problems
    assert problem.file == str(tmp_path / "templates" / "patient.html"), problem
    assert problem.line is not None and problem.key == "template", problem
    assert len(str(problem)) < 500


def test_time_limit_stops_a_slow_template(tmp_path, doc, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.05)
    slow = "{% for a in range(100000) %}{{ range(1000) | list | sort | length }}{% endfor %}"
    with pytest.raises(InputError) as caught:
        render_with(tmp_path, doc, slow)
    assert "took over 0.05 s" in str(caught.value)


@pytest.mark.slow
def test_template_error_from_cli_is_exit_2_naming_file_and_line(tmp_path, run_cli):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "press.html").write_text('{% extends "base.html" %}\n{% block body %}\n'
                                       "{{ 1 / 0 }}\n{% endblock %}\n")
    run = run_cli("build", MIN_TOPIC, "--out", tmp_path / "out", "--templates", folder,
                  "-f", "html")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "crashed" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines == [f"{folder / 'press.html'}:3: template: ZeroDivisionError: division by zero"]


def test_only_listed_filters_and_globals(tmp_path, doc):
    from explainer.render.html import environment

    env = environment(None)
    project = {"css_string", "css_colour", "css_ident", "for_audience"}
    assert set(env.filters) == set(sandbox.JINJA_FILTERS) | project | {"_loop_guard", "_emit"}
    assert set(env.globals) == set(sandbox.GLOBALS)
    readme = (REPO / "README.md").read_text()
    for name in [*project, *sandbox.GLOBALS, "MAX_LOOP_STEPS"]:
        assert name in readme, f"{name} is not documented in the README"
