"""One settings object: every LABKIT_* variable is read in labkit/settings.py and documented."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from labkit import settings
from labkit.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "labkit"


def test_docs_are_generated_from_the_settings() -> None:
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings.markdown(), \
        "docs/settings.md is stale: python -m labkit.settings > docs/settings.md"


def test_every_setting_has_a_variable_and_help() -> None:
    names = [f.metadata["env"] for f in fields(Settings)]
    assert len(set(names)) == len(names)
    for f in fields(Settings):
        assert f.metadata["env"].startswith("LABKIT_"), f.name
        assert len(f.metadata["help"]) > 30, f"{f.name}: say what it is for"
        assert f.metadata["group"] in settings.GROUPS


def test_only_the_settings_module_reads_labkit_variables() -> None:
    """No ``os.environ``/``getenv``/``env`` mapping read of a LABKIT_* name anywhere else in
    the package (a caller's mapping goes through ``Settings.from_env(env)``)."""
    read = re.compile(r"(environ\.get|environ\[|getenv|env\.get|env\[)\W*[\"']LABKIT_")
    offenders = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in PACKAGE.rglob("*.py") if path.name != "settings.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if read.search(line)]
    assert offenders == []
    env_names = {f.metadata["env"] for f in fields(Settings)}
    mentioned = {m for path in PACKAGE.rglob("*.py") if "content" not in path.parts
                 for m in re.findall(r"\bLABKIT_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    aliases = {a for f in fields(Settings) for a in f.metadata["aliases"]}
    assert mentioned - env_names - aliases == set(), "a LABKIT_ variable with no setting"


def test_unset_and_blank_mean_the_default() -> None:
    plain = Settings.from_env({})
    assert plain.home == Path("~/.local/share/labkit").expanduser()
    assert plain.lang is None and plain.preview is False
    assert Settings.from_env({"LABKIT_LANG": "  ", "LABKIT_HOME": ""}) == plain


def test_values_are_typed_and_paths_absolute(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    got = Settings.from_env({"LABKIT_LANG": " EN ", "LABKIT_HOME": "state",
                             "LABKIT_PREVIEW": "yes", "LABKIT_ROOT": "~/course"})
    assert got.lang == "en"
    assert got.home == tmp_path / "state"
    assert got.preview is True
    assert got.course_dir == Path.home() / "course"   # the older name still works
    both = Settings.from_env({"LABKIT_COURSE_DIR": "/c1", "LABKIT_ROOT": "/c2"})
    assert both.course_dir == Path("/c1")


def test_environment_is_read_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_LAB", "one")
    assert settings.current().lab == "one"
    monkeypatch.setenv("LABKIT_LAB", "two")
    assert settings.current().lab == "two"


def test_configure_wins_over_the_environment(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_COURSE_DIR", "/from/env")
    with settings.override(course_dir=tmp_path) as now:
        assert now.course_dir == tmp_path == settings.current().course_dir
    assert settings.current().course_dir == Path("/from/env")
    with pytest.raises(TypeError, match="nosuch"):
        settings.configure(nosuch=1)


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        settings.current().lab = "x"  # type: ignore[misc]
