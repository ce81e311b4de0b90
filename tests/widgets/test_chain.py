"""The backing-chain diagram, drawn from qemu-img info answers recorded from the real tool."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from labkit.probes.base import plain
from labkit.probes.qemu_img import QemuImgInfo
from labkit.transports.base import CommandResult
from labkit.widgets.chain import approx_size, chain_html, chain_summary

DATA = Path(__file__).resolve().parent / "data"
EVIL = "<img src=x onerror=alert(1)>.qcow2"


def recorded(case: str) -> tuple[str, dict[str, Any]]:
    """(path, QemuImgInfo value) of a recorded case, parsed by the real probe."""
    rec = json.loads((DATA / "chains" / f"{case}.json").read_text())
    probe = QemuImgInfo(rec["path"])
    assert probe.command() == rec["command"]
    result = CommandResult(rec["command"], rec["exit_code"], rec["stdout"], rec["stderr"])
    return rec["path"], plain(probe.parse(result))


def test_single_independent_disk() -> None:
    path, info = recorded("single")
    html = chain_html(path, info, "en")
    assert chain_summary(info) == "systemdisk.qcow2 (qcow2)"
    assert "independent disk" in html and "100 MiB" in html
    assert "↓" not in html                                   # no arrow: no backing file
    assert "disco independente" in chain_html(path, info, "gl")


def test_overlay_on_a_base() -> None:
    path, info = recorded("overlay")
    html = chain_html(path, info, "en")
    assert chain_summary(info) == "snapdisk.qcow2 (qcow2) → base.qcow2 (qcow2)"
    assert html.index("snapdisk.qcow2") < html.index("base.qcow2")
    assert "snapshot: writes go here" in html and "base (read-only)" in html
    assert "-b base.qcow2 -F qcow2" in html
    assert html.count("100 MiB") == 2                        # both virtual sizes
    assert ">4.25 MiB<" in html                               # the 4 MiB written + tables
    assert "⚠" not in html


def test_three_levels_with_a_raw_base() -> None:
    path, info = recorded("three-levels")
    html = chain_html(path, info, "gl")
    assert chain_summary(info) == "top.qcow2 (qcow2) → mid.qcow2 (qcow2) → base.raw (raw)"
    assert "capa intermedia" in html and "base (só lectura)" in html
    assert "-b mid.qcow2 -F qcow2" in html and "-b base.raw -F raw" in html
    assert html.count("↓") == 2


def test_a_base_opened_in_the_wrong_format_is_flagged() -> None:
    path, info = recorded("wrong-backing-format")
    html = chain_html(path, info, "en")
    assert "the name ends in .qcow2 but it is opened as raw" in html


def test_broken_chain() -> None:
    path, info = recorded("backing-missing")
    assert info == {"state": "backing-missing", "chain": [], "missing": "base.qcow2"}
    html = chain_html(path, info, "en")
    assert "The chain is broken" in html and "base.qcow2" in html
    assert chain_summary(info) == ""


def test_missing_image() -> None:
    path, info = recorded("missing")
    assert "nothere.qcow2 does not exist." in chain_html(path, info, "en")
    assert "Non existe nothere.qcow2." in chain_html(path, info, "gl")


def test_probe_error_is_a_message() -> None:
    html = chain_html("x.qcow2", None, "en", error="qemu-img is not installed on the lab host")
    assert "could not be read" in html and "not installed" in html


def test_file_names_cannot_inject_html() -> None:
    path, info = recorded("evil-name")
    assert info["chain"][0]["filename"] == EVIL
    html = chain_html(path, info, "en")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.qcow2" in html
    broken = chain_html(EVIL, {"state": "backing-missing", "missing": EVIL}, "en")
    assert "<img" not in broken


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (1023, "1023 B"), (200704, "196 KiB"),
                                            (4460544, "4.25 MiB"), (104857600, "100 MiB"),
                                            (1536 << 20, "1.5 GiB"), (13 * (1 << 30) // 10,
                                                                      "1.3 GiB")])
def test_approx_size(size: int, text: str) -> None:
    assert approx_size(size) == text


def test_flags_without_a_recording() -> None:
    """States qemu-img 7.2 cannot produce any more (an old image without a backing format)
    or that need a crash (dirty, corrupt)."""
    image = {"filename": "old.qcow2", "format": "qcow2", "virtual_size": 1 << 30,
             "actual_size": 0, "backing_filename": "base.qcow2",
             "full_backing_filename": "base.qcow2", "backing_format": None, "dirty": True,
             "corrupt": True}
    base = {**image, "filename": "base.qcow2", "backing_filename": None, "dirty": False,
            "corrupt": False}
    html = chain_html("old.qcow2", {"state": "ok", "chain": [image, base]}, "en")
    for flag in ("made without -F", "marked dirty", "marked corrupt"):
        assert flag in html
    assert "<code>-b base.qcow2</code>" in html


@pytest.mark.skipif(not (shutil.which("qemu-img") and shutil.which("qemu-io")),
                    reason="qemu-img/qemu-io not installed")
def test_fixtures_match_this_machines_qemu_img(tmp_path: Path) -> None:
    """Re-capture every case with the installed qemu-img: the fixtures cannot drift."""
    spec = importlib.util.spec_from_file_location("capture_chains",
                                                  DATA / "capture_chains.py")
    assert spec and spec.loader
    capture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(capture)
    for case in capture.CASES:
        workdir = tmp_path / case
        workdir.mkdir()
        live = capture.capture(case, workdir)
        probe = QemuImgInfo(str(live["path"]))
        got = plain(probe.parse(CommandResult(str(live["command"]), int(live["exit_code"]),
                                              str(live["stdout"]), str(live["stderr"]))))
        _, want = recorded(case)
        for image in got.get("chain", []) + want.get("chain", []):
            image.pop("actual_size")       # depends on the filesystem
        assert got == want, case
