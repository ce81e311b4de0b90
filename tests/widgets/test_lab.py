"""How a notebook finds its lab host, language and work folders."""

from __future__ import annotations

import sys
import types

import pytest

from labkit.errors import LabkitError, SandboxError
from labkit.widgets.lab import Lab, exercise_workdir, find_host_url, language


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LABKIT_HOST", "LABKIT_LANG", "LABKIT_LAB_DIR", "LABKIT_RECORD"):
        monkeypatch.delenv(name, raising=False)


def fake_sandbox(monkeypatch: pytest.MonkeyPatch, lab_hosts: object) -> None:
    module = types.ModuleType("labkit.sandbox")
    if lab_hosts is not None:
        module.lab_hosts = lab_hosts  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "labkit.sandbox", module)


def test_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert language() == "gl"
    monkeypatch.setenv("LABKIT_LANG", "EN")
    assert language() == "en"
    assert language("gl") == "gl"          # the notebook's own language wins
    monkeypatch.setenv("LABKIT_LANG", "fr")
    assert language() == "gl"


def test_env_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_HOST", "ssh://root@127.0.0.1:2222?key=/k")
    assert find_host_url() == "ssh://root@127.0.0.1:2222?key=/k"
    assert Lab("en").status() == "Lab host: ssh://root@127.0.0.1:2222"
    monkeypatch.setenv("LABKIT_HOST", "ftp://x")
    with pytest.raises(LabkitError, match="LABKIT_HOST is not a valid host URL"):
        find_host_url("en")


def test_running_sandbox_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_sandbox(monkeypatch, lambda name: {"host": "ssh://root@127.0.0.1:2201?key=/k"})
    assert find_host_url() == "ssh://root@127.0.0.1:2201?key=/k"
    fake_sandbox(monkeypatch, lambda name: {"server": "ssh://root@127.0.0.1:2202"})
    assert find_host_url() == "ssh://root@127.0.0.1:2202"


def test_no_sandbox_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_up(name: str | None) -> dict[str, str]:
        raise SandboxError("lab 'default' is not up")

    fake_sandbox(monkeypatch, not_up)
    with pytest.raises(LabkitError) as excinfo:
        find_host_url("en")
    assert "Start the lab" in str(excinfo.value) and "LABKIT_HOST" in str(excinfo.value)
    assert "lab 'default' is not up" in str(excinfo.value)
    fake_sandbox(monkeypatch, None)      # labkit.sandbox without lab_hosts (yet)
    with pytest.raises(LabkitError, match="no sandbox lab is running"):
        find_host_url("en")


def test_lab_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_sandbox(monkeypatch, None)
    lab = Lab("gl")
    assert lab.url is None and lab.problem and "Arrinca o laboratorio" in lab.problem
    bundle = lab._repr_mimebundle_()
    assert "LABKIT_HOST" in bundle["text/plain"] and "<div" in bundle["text/html"]
    with pytest.raises(LabkitError):
        lab.host()
    # every widget opens anyway, and says what is wrong when used
    assert "Non se puido ler" in lab.chain("x.qcow2").output.value
    assert "Non se puido corrixir" in lab.check("qemu-img-basics").output.value
    lab.builder().run()


def test_workdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert exercise_workdir("qemu-img-basics") == "/root/lab/qemu-img"
    assert exercise_workdir("qemu-img-snapshots") == "/root/lab/qemu-img-snap"
    monkeypatch.setenv("LABKIT_LAB_DIR", "/tmp/run 1")
    assert exercise_workdir("qemu-img-basics") == "/tmp/run 1/qemu-img"
    with pytest.raises(LabkitError):
        exercise_workdir("no-such-exercise")
