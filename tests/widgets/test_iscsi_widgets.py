"""The iqn builder/validator and the target diagram."""

from __future__ import annotations

from typing import Any

import pytest

from labkit.host import Host
from labkit.probes.iscsi import LiveTarget, parse_live
from labkit.transports.replay import ReplayTransport
from labkit.widgets.iscsi import (
    IqnBuilder,
    TargetDiagram,
    build_iqn,
    check_iqn,
    describe_iqn,
    target_html,
    target_text,
)

#: The configfs walk of the iscsi-target solution (as the probe's command prints it).
LIVE = """\
B fileio_0 vm1 /srv/iscsi/vm1.img 67108864
B iblock_0 vm2 /dev/iscsi/vm2 0
T iqn.2026-11.lab.labkit.server:vms
G iqn.2026-11.lab.labkit.server:vms 1 1
L iqn.2026-11.lab.labkit.server:vms 1 0 ../../../../../../target/core/fileio_0/vm1
L iqn.2026-11.lab.labkit.server:vms 1 1 ../../../../../../target/core/iblock_0/vm2
A iqn.2026-11.lab.labkit.server:vms 1 iqn.2024-01.lab.labkit:client labuser 1
P iqn.2026-11.lab.labkit.server:vms 1 0.0.0.0:3260
"""


@pytest.mark.parametrize("iqn", ["iqn.2026-11.lab.labkit.server:vms",
                                 "iqn.2024-01.lab.labkit:client",
                                 "iqn.2003-01.org.linux-iscsi.debian.x8664:sn.abc"])
def test_valid(iqn: str) -> None:
    assert check_iqn(iqn, "en") == []
    assert "valid" in describe_iqn(iqn, "en")


@pytest.mark.parametrize(("iqn", "word"), [
    ("iqn.2026-13.lab.labkit:x", "month"),
    ("IQN.2026-11.lab.labkit:x", "Lower case"),
    ("eui.2026-11.lab", "iqn."),
    ("iqn.26-11.lab:x", "shape"),
    ("iqn.2026-11.labkit.com:x", "backwards"),
    ("iqn.2026-11.lab.labkit:my disk", "not allowed"),
])
def test_invalid(iqn: str, word: str) -> None:
    problems = check_iqn(iqn, "en")
    assert any(word in p for p in problems), problems
    assert check_iqn(iqn, "gl")


def test_build() -> None:
    assert build_iqn(2026, 11, "labkit.lab", "vms") == "iqn.2026-11.lab.labkit:vms"
    assert build_iqn(2026, 1, "server.labkit.lab") == "iqn.2026-01.lab.labkit.server"


def data() -> dict[str, Any]:
    return parse_live(LIVE)


def test_diagram() -> None:
    html = target_html(data(), "en")
    for part in ("iqn.2026-11.lab.labkit.server:vms", "lun0 → fileio/vm1",
                 "(/srv/iscsi/vm1.img)", "CHAP: labuser", "0.0.0.0:3260"):
        assert part in html, part
    assert target_text(data()) == ("iqn.2026-11.lab.labkit.server:vms tpg1: 2 LUN, 1 ACL, "
                                   "portals 0.0.0.0:3260")


def test_diagram_without_chap_and_empty() -> None:
    live = parse_live(LIVE.replace(" labuser 1", " NULL 0"))
    assert "no CHAP" in target_html(live, "en")
    assert "no iSCSI target" in target_html({"targets": []}, "en")


def test_escaped() -> None:
    d = data()
    d["targets"][0]["iqn"] = "<script>"
    d["targets"][0]["tpgs"][0]["acls"][0]["userid"] = "<x-evil>"
    d["backstores"][0]["dev"] = '"><img src=x>'
    html = target_html(d, "en")
    assert "<script>" not in html and "<x-evil>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_widgets() -> None:
    b = IqnBuilder("en", domain="labkit.lab", name="server")
    assert b.text() == "iqn.2026-11.lab.labkit:server"
    b.typed.value = "iqn.2026-13.x"
    assert "!" in b.text()
    replay = ReplayTransport(data={"host": "server", "commands": [
        {"command": LiveTarget().command(), "exit_code": 0, "stdout": LIVE, "stderr": ""}]})
    diagram = TargetDiagram(Host(replay), "gl")
    assert diagram.text().startswith("iqn.2026-11")
    assert "Gravación (server)" in diagram.output.value     # a recording says so
    diagram.button.click()
    assert diagram.text().startswith("iqn.2026-11")
