"""The LVM map and extent calculator: pure renderers over real ``lvm.report`` values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labkit.host import Host
from labkit.transports.mock import MockTransport
from labkit.widgets.lvm import (
    ExtentCalculator,
    LvmMap,
    extents_for,
    extents_html,
    lv_kind,
    lvm_map_html,
    pv_usage,
)

CASES = Path(__file__).resolve().parents[1] / "probes" / "lvm.report"


def report(case: str) -> dict[str, Any]:
    return json.loads((CASES / f"{case}.json").read_text())["expected"]  # type: ignore[no-any-return]


def lvs(case: str) -> dict[str, dict[str, Any]]:
    return {lv["name"]: lv for lv in report(case)["lvs"]}


def test_kinds_of_the_advanced_case() -> None:
    got = {name: lv_kind(lv, "en") for name, lv in lvs("advanced").items()
           if not lv["hidden"]}
    assert got["database"] == "mirror (RAID1), 2 copies"
    assert got["templates"] == "striped over 3 PVs"
    assert got["database-sn"].startswith("snapshot of database, 0% used")
    assert got["pool"].startswith("thin pool: data 0% used")
    assert got["ftpserver"].startswith("thin volume in pool")


def test_an_invalid_snapshot_says_so() -> None:
    sn = [lv for lv in lvs("snapshot-invalid").values() if lv["origin"]]
    assert sn and sn[0]["invalid"]
    assert "INVALID" in lv_kind(sn[0], "en") and "INVÁLIDO" in lv_kind(sn[0], "gl")
    assert "INVALID" in lvm_map_html(report("snapshot-invalid"), "en")


def test_hidden_raid_images_count_for_their_lv() -> None:
    usage = pv_usage(report("advanced"))
    owners = {lv for runs in usage.values() for _s, _c, lv in runs}
    assert "database" in owners and not any("rimage" in o for o in owners)
    assert {"/dev/vdb", "/dev/vdc", "/dev/vdd"} <= set(usage)


def test_map_draws_every_pv_and_visible_lv() -> None:
    html = lvm_map_html(report("advanced"), "gl")
    for name in ("/dev/vdb", "/dev/vdc", "/dev/vdd", "/dev/vde", "database", "templates",
                 "ftpserver", "<svg"):
        assert name in html


def test_empty_host() -> None:
    assert "no physical volume" in lvm_map_html(report("empty"), "en")


def test_host_text_is_escaped() -> None:
    data = report("advanced")
    data["lvs"][0]["name"] = "<script>alert(1)</script>"
    data["pvs"][0]["name"] = '/dev/"><img>'
    html = lvm_map_html(data, "en")
    assert "<script>" not in html and "<img>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(("size", "extent", "stripes", "extents", "rounded"), [
    ("20G", "4M", 1, 5120, 20 << 30),
    ("10M", "4M", 1, 3, 12 << 20),
    ("24M", "4M", 3, 6, 24 << 20),
    ("25M", "4M", 3, 9, 36 << 20),
    ("+5G", "4M", 1, 1280, 5 << 30),
])
def test_extents(size: str, extent: str, stripes: int, extents: int, rounded: int) -> None:
    e = extents_for(size, extent, stripes=stripes)
    assert (e.extents, e.rounded) == (extents, rounded)


def test_mirror_takes_twice_and_free_warning() -> None:
    e = extents_for("16M", "4M", mirrors=1)
    assert e.total == 8
    html = extents_html("16M", "4M", "en", mirrors=1, free_extents=5)
    assert "does not fit" in html and "2 copies" in html


def test_bad_size_is_a_message() -> None:
    assert "Not a size" in extents_html("lots", "4M", "en")
    assert "Non é un tamaño" in extents_html("<b>", "4M", "gl")
    assert "<b>" not in extents_html("<b>", "4M", "gl")


def _case(name: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.json").read_text())  # type: ignore[no-any-return]


def test_the_map_reads_its_host_and_reads_again() -> None:
    """LvmMap reads ``lvm.report`` from the host it is given (one collection per read), and
    "read again" reads the host's new state."""
    answers = [_case("empty"), _case("advanced")]

    def lvm_host(command: str, stdin: bytes | None) -> tuple[int, str, str]:
        assert stdin is not None                       # one round trip: the collector
        payload = json.loads(stdin)
        case = answers[0] if len(transport.calls) == 1 else answers[1]
        results = {p["id"]: {"rc": case["exit_code"], "out": case["stdout"],
                             "err": case["stderr"], "t": 0.0, "timeout": False,
                             "truncated": False} for p in payload["probes"]}
        return 0, json.dumps({"v": 1, "results": results}), ""

    transport = MockTransport(lvm_host, url="ssh://root@server:22")
    view = LvmMap(Host(transport), "en")
    assert view.text() == "[LVM map: 0 PV, 0 VG, LV: -]"
    assert "Read from ssh://root@server:22" in view.output.value
    view.button.click()
    assert len(transport.calls) == 2
    assert "LV: database" in view.text() and "database" in view.output.value


def test_a_map_without_a_host_or_with_a_broken_one_is_a_message() -> None:
    assert "There is no lab host" in LvmMap(None, "en").output.value
    broken = MockTransport(lambda c, s: (255, "", "ssh: connect refused\n"))
    view = LvmMap(Host(broken), "en")
    assert view.data is None and "Error" in view.output.value and "Traceback" not in \
        view.output.value


def test_the_calculator() -> None:
    calc = ExtentCalculator("en", size="10M")
    assert calc.text() == "[10M = 3 x 4 MiB = 12 MiB]"
    calc.stripes.value = 2
    assert "multiple of 2" in calc.output.value


def test_sizes_read_as_people_write_them() -> None:
    from labkit.widgets.lvm import human

    assert human(3208642560) == "~2.99 GiB"
    assert human(16 << 20) == "16 MiB"
    assert "~2.99 GiB" in lvm_map_html(report("advanced"), "en")
