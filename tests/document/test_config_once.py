"""A build parses explainer.yaml once: the brand and the readability targets (with --target
over them) come from the same parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MIN_TOPIC

from explainer.build.topic import BuildOptions, build_topic
from explainer.document import config, load

STRICT = "readability:\n  audiences:\n    patient:\n      limits: {fk: 0.5, smog: 30}\n"


@pytest.fixture
def findings(tmp_path: Path) -> Path:
    folder = tmp_path / "topic"
    folder.mkdir()
    (folder / "findings.yaml").write_text(MIN_TOPIC.read_text())
    (folder / "explainer.yaml").write_text("brand:\n  organisation: Trust\n" + STRICT)
    sources = tmp_path / "sources"
    sources.mkdir()
    for src in (MIN_TOPIC.parent.parent / "sources").glob("walking_*"):
        (sources / src.name).write_text(src.read_text())
    return folder / "findings.yaml"


@pytest.fixture
def config_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every parse of a config file (the real reader, counted)."""
    seen: list[Path] = []
    real = load.read_yaml

    def counting(path, what, *args, **kwargs):
        if what == "config file":
            seen.append(Path(path))
        return real(path, what, *args, **kwargs)

    monkeypatch.setattr(load, "read_yaml", counting)
    monkeypatch.setattr(config, "read_yaml", counting)
    return seen


@pytest.mark.parametrize("overrides", [None, {"patient": {"fk": None}}], ids=["config", "target"])
def test_a_build_parses_explainer_yaml_once(findings, config_reads, tmp_path, overrides):
    options = BuildOptions(out_dir=tmp_path / "out", formats=("html",), audiences=("patient",),
                           target_overrides=overrides)
    [out] = build_topic(findings, options).outputs

    assert config_reads == [findings.parent / "explainer.yaml"]
    misses = {m.metric: m.limit for m in out.misses}
    if overrides is None:
        assert misses == {"fk": 0.5}  # the config's limit, from the one parse
    else:
        assert misses == {}  # --target fk=off over the config's fk, smog still the config's 30
