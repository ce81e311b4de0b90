"""The network widgets' pure logic: the 802.1Q frame explorer (real bytes) and the topology
drawn from probe values parsed from real outputs (tests/probes/*/…json, captured in the VM)."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labkit.host import Host
from labkit.probes import probe_from_dict
from labkit.transports.base import CommandResult
from labkit.transports.mock import MockTransport
from labkit.transports.replay import ReplayTransport
from labkit.widgets.net_topology import (
    NetTopology,
    build_topology,
    topology_html,
    topology_summary,
    topology_svg,
)
from labkit.widgets.vlan_frame import (
    SAMPLE,
    TPID,
    Port,
    Tag,
    VlanFrameExplorer,
    ethernet_frame,
    frame_html,
    parse_frame,
    tag_frame,
    untag_frame,
    walk,
    walk_summary,
)

CASES = Path(__file__).resolve().parent.parent / "probes"


def parsed(probe: str, case: str) -> Any:
    data = json.loads((CASES / probe / f"{case}.json").read_text(encoding="utf-8"))
    p = probe_from_dict({"probe": data["probe"], "args": data["args"]})
    return p.parse(CommandResult(data["command"], data["exit_code"], data["stdout"],
                                 data["stderr"]))


# -- 802.1Q frames --------------------------------------------------------------------------------
def test_tag_goes_after_the_source_mac() -> None:
    frame = ethernet_frame("52:54:00:00:00:01", "ff:ff:ff:ff:ff:ff", 0x0806, b"arp")
    tagged = tag_frame(frame, vid=10, pcp=5, dei=1)
    assert len(tagged) == len(frame) + 4
    assert tagged[:12] == frame[:12] and tagged[16:] == frame[12:]
    assert struct.unpack("!HH", tagged[12:16]) == (TPID, (5 << 13) | (1 << 12) | 10)
    view = parse_frame(tagged)
    assert view.tag == Tag(vid=10, pcp=5, dei=1) and view.ethertype == 0x0806
    assert untag_frame(tagged) == frame and untag_frame(frame) == frame


@given(st.integers(0, 4095), st.integers(0, 7), st.integers(0, 1))
def test_tag_round_trip(vid: int, pcp: int, dei: int) -> None:
    tagged = tag_frame(SAMPLE, vid, pcp, dei)
    assert parse_frame(tagged).tag == Tag(vid, pcp, dei)
    assert untag_frame(tagged) == SAMPLE


def test_invalid_tags() -> None:
    for bad in ({"vid": 4096}, {"vid": 1, "pcp": 8}, {"vid": 1, "dei": 2}):
        with pytest.raises(ValueError):
            Tag(**bad)


ACCESS10, ACCESS20 = Port("access", vid=10), Port("access", vid=20)
TRUNK = Port("trunk", vids=(10, 20))


@pytest.mark.parametrize(("frame", "in_port", "out_port", "keys", "out_vid"), [
    (SAMPLE, ACCESS10, TRUNK, ["walk.in_access_untagged", "walk.out_trunk"], 10),
    (SAMPLE, ACCESS10, ACCESS10, ["walk.in_access_untagged", "walk.out_access"], None),
    (SAMPLE, ACCESS10, ACCESS20, ["walk.in_access_untagged", "walk.out_access_other"], "drop"),
    (tag_frame(SAMPLE, 20), TRUNK, ACCESS20, ["walk.in_trunk_ok", "walk.out_access"], None),
    (tag_frame(SAMPLE, 30), TRUNK, ACCESS10, ["walk.in_trunk_refused"], "drop"),
    (tag_frame(SAMPLE, 10), ACCESS10, TRUNK, ["walk.in_access_tagged"], "drop"),
    (SAMPLE, TRUNK, ACCESS10, ["walk.in_trunk_untagged"], "drop"),
    (SAMPLE, Port("trunk", vids=(10,), native=1), Port("trunk", vids=(10,), native=1),
     ["walk.in_trunk_native", "walk.out_native"], None),
    (tag_frame(SAMPLE, 10), TRUNK, Port("trunk", vids=(20,)),
     ["walk.in_trunk_ok", "walk.out_trunk_refused"], "drop"),
])
def test_what_ports_do(frame: bytes, in_port: Port, out_port: Port, keys: list[str],
                       out_vid: Any) -> None:
    steps = walk(frame, in_port, out_port)
    assert [s.key for s in steps] == keys
    last = steps[-1].frame
    if out_vid == "drop":
        assert last is None
    else:
        assert last is not None
        tag = parse_frame(last).tag
        assert (tag.vid if tag else None) == out_vid
    for lang in ("gl", "en"):
        assert walk_summary(frame, in_port, out_port, lang)


def test_frame_html_and_texts() -> None:
    html = frame_html(tag_frame(SAMPLE, 10), "en")
    assert "0x8100" in html and "VID 10" in html
    assert "0x8100" not in frame_html(SAMPLE, "gl")


def test_explorer_widget() -> None:
    explorer = VlanFrameExplorer("en")
    assert "VLAN 10" in explorer.text()
    explorer.tagged.value = True
    explorer.in_port.value = "t"
    explorer.out_port.value = "a20"
    explorer.vid.value = 20
    assert "access port of VLAN 20" in explorer.output.value or "tag is removed" in \
        explorer.output.value
    assert explorer._repr_mimebundle_()["text/plain"] == explorer.text()


# -- topology ---------------------------------------------------------------------------------
def _facts() -> dict[str, dict[str, Any]]:
    return {
        "b": {"links": parsed("ip.link", "devices"), "addrs": parsed("ip.addr", "bridge-address"),
              "ovs": parsed("ovs.state", "tagged-ports"),
              "bridge_vlan": parsed("bridge.vlan", "vlan-aware")},
        "a": {"links": parsed("ip.link", "empty-namespace"), "addrs": {}, "ovs": None,
              "bridge_vlan": None},
    }


def test_build_topology_from_real_outputs() -> None:
    topo = build_topology(_facts(), reach=[("a", "10.0.10.1", True), ("a", "10.0.10.12", False)])
    kinds = {n.name: n.kind for n in topo.nodes.values() if n.host == "b"}
    assert kinds["tap0"] == "tap" and kinds["tun0"] == "tun" and kinds["br0"] == "bridge"
    assert kinds["lkpovs"] == "ovs" and kinds["eth1"] == "other"
    assert "lo" not in kinds and "ovs-system" not in kinds
    edges = {(e.a, e.b, e.kind, e.label) for e in topo.edges}
    assert ("b/veth0-sw", "b/br0", "port", "") in edges
    assert ("b/lkp1-sw", "b/lkpovs", "port", "tag 10") in edges
    assert ("b/eth1.10", "b/eth1", "lower", "VLAN 10") in edges
    assert ("b/macvtap0", "b/eth1", "lower", "mode bridge") in edges
    assert sum(1 for e in topo.edges if e.kind == "veth") == 1
    assert topo.nodes["b/br0"].addresses == ["10.10.0.1/24"]
    assert "b" in topology_summary(topo, "en")


def test_svg_is_well_formed_and_escaped() -> None:
    facts = _facts()
    evil = dict(facts["b"]["links"]["tap0"], name="<x&y>")
    facts["b"]["links"]["<x&y>"] = evil
    topo = build_topology(facts)
    svg = topology_svg(topo, "gl")
    ET.fromstring(svg)  # well-formed XML: every name escaped
    assert "&lt;x&amp;y&gt;" in svg
    html = topology_html(build_topology({}, errors={"router": "timed out"}), "en")
    assert "router" in html and "timed out" in html


# -- the widget, on hosts ------------------------------------------------------------------------
def _recorded(cases: dict[str, str]) -> dict[str, Any]:
    """A replay recording answering each probe's command with a captured case."""
    commands = []
    for probe, case in cases.items():
        data = json.loads((CASES / probe / f"{case}.json").read_text(encoding="utf-8"))
        commands.append({k: data[k] for k in ("command", "exit_code", "stdout", "stderr")})
    return {"host": "network/b", "commands": commands}


def test_the_widget_reads_its_hosts_and_reads_again() -> None:
    b = Host(ReplayTransport(data=_recorded({"ip.link": "devices", "ip.addr": "bridge-address",
                                             "ovs.state": "tagged-ports",
                                             "bridge.vlan": "vlan-aware"})))
    view = NetTopology({"b": b}, "en")
    assert view.topology is not None and not view.topology.errors
    assert "b/br0" in view.topology.nodes
    assert "b: A recording (network/b), not the live lab" in view.output.value
    down = MockTransport(lambda c, s: (255, "", "ssh: connection refused\n"))
    view = NetTopology({"b": b, "a": Host(down)}, "gl")
    assert view.topology is not None and "a" in view.topology.errors
    assert view.button.description == "Ler de novo"
    view.button.click()
    assert len(down.calls) == 2
