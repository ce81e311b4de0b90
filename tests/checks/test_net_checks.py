"""The network check kinds on facts parsed from REAL outputs (tests/probes/<probe>/*.json,
captured in the sandbox VM by tests/probes/setups.py, NET): verdicts and their messages."""

from __future__ import annotations

import json
import string
import sys
from pathlib import Path
from typing import Any

import pytest

from labkit.checks import KINDS
from labkit.checks.base import Facts, ProbeUnavailable
from labkit.checks.engine import evaluate as engine_evaluate
from labkit.checks.engine import probes_for
from labkit.checks.spec import bind, load_spec
from labkit.host import Outcome, parse_outcome
from labkit.i18n import CATALOG, LANGS, text
from labkit.probes import probe_from_dict
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

CASES = Path(__file__).resolve().parent.parent / "probes"
sys.path.insert(0, str(CASES.parent / "checks"))

from _examples import all_args  # noqa: E402

GRADERS = Path(__file__).resolve().parent.parent.parent / "graders"
NET_KINDS = sorted(k for k in KINDS if k.split(".")[0] in ("net", "ovs", "sysctl", "firewall"))


def parsed(probe: str, case: str) -> tuple[Probe, Any]:
    data = json.loads((CASES / probe / f"{case}.json").read_text(encoding="utf-8"))
    p = probe_from_dict({"probe": data["probe"], "args": data["args"]})
    return p, p.parse(CommandResult(data["command"], data["exit_code"], data["stdout"],
                                    data["stderr"]))


def facts(*pairs: tuple[Probe, Any], **others: Facts) -> Facts:
    return Facts({p.key: Outcome(value=v) for p, v in pairs}, others)


def verdict(kind: str, f: Facts, /, **args: Any) -> tuple[bool, str, str]:
    v = KINDS[kind]().evaluate(KINDS[kind].Args.model_validate(args), f)
    return v.passed, v.key, text(v.key, "en", **v.values)


DEVICES = facts(parsed("ip.link", "devices"))


@pytest.mark.parametrize(("args", "passed", "key"), [
    ({"device": "tap0", "kind": "tap"}, True, "net.device_ok"),
    ({"device": "tun0", "kind": "tap"}, False, "net.kind_wrong"),
    ({"device": "tun0", "kind": "tun"}, True, "net.device_ok"),
    ({"device": "veth0", "up": True}, True, "net.device_up_ok"),
    ({"device": "tap0", "up": True}, False, "net.device_down"),
    ({"device": "nope"}, False, "net.device_missing"),
    ({"device": "br1", "kind": "bridge"}, True, "net.device_ok"),
])
def test_device(args: dict[str, Any], passed: bool, key: str) -> None:
    assert verdict("net.device", DEVICES, **args)[:2] == (passed, key)


def test_macvtap_veth_vlan_master() -> None:
    assert verdict("net.macvtap", DEVICES, device="macvtap0", parent="eth1", mode="bridge")[0]
    ok, key, msg = verdict("net.macvtap", DEVICES, device="macvtap2", parent="eth1",
                           mode="bridge")
    assert (ok, key) == (False, "net.macvtap_mode_wrong") and "vepa" in msg
    assert verdict("net.macvtap", DEVICES, device="macvtap1", parent="eth0",
                   mode="private")[1] == "net.parent_wrong"
    assert verdict("net.veth", DEVICES, device="veth0", peer="veth0-sw")[0]
    assert verdict("net.veth", DEVICES, device="veth0-sw", peer="veth0")[0]
    assert verdict("net.veth", DEVICES, device="veth0", peer="x")[1] == "net.veth_peer_wrong"
    assert verdict("net.vlan", DEVICES, device="eth1.10", parent="eth1", id=10)[0]
    _ok, key, msg = verdict("net.vlan", DEVICES, device="eth1.10", parent="eth1", id=20)
    assert key == "net.vlan_id_wrong" and "10" in msg
    assert verdict("net.master", DEVICES, device="veth0-sw", master="br0")[0]
    assert verdict("net.master", DEVICES, device="eth1.10", master="br0")[1] == \
        "net.master_wrong"
    assert verdict("net.master", DEVICES, device="veth0", master="br0")[1] == "net.master_none"


def test_address_and_route() -> None:
    addrs = facts(parsed("ip.addr", "bridge-address"))
    assert verdict("net.address", addrs, device="br0", address="10.10.0.1/24")[0]
    assert verdict("net.address", addrs, device="eth1", address="10.10.0.1/24")[1] == \
        "net.address_elsewhere"
    assert verdict("net.address", addrs, device="br0", address="10.10.0.1/16")[1] == \
        "net.address_prefix_wrong"
    routes = facts(parsed("ip.route", "gateway"))
    assert verdict("net.route", routes, dst="198.51.100.0/24", gateway="10.0.10.1")[0]
    assert verdict("net.route", routes, dst="default", gateway="10.0.2.2")[1] == \
        "net.route_wrong"
    assert verdict("net.route", routes, dst="192.0.2.0/24", gateway="10.0.10.1")[1] == \
        "net.route_missing"


def test_bridge_vlan() -> None:
    f = facts(parsed("ip.link", "devices"), parsed("bridge.vlan", "vlan-aware"))
    # the devices case has br1 (vlan_filtering 1) with eth1.10; vlan-aware: other ports
    assert verdict("net.bridge_vlan", f, bridge="br0", port="veth0-sw", vid=10)[1] == \
        "net.vlan_filtering_off"


def test_reach() -> None:
    ok = facts(parsed("net.ping", "reachable"))
    assert verdict("net.reach", ok, address="10.0.0.2")[:2] == (True, "net.reach_ok")
    assert verdict("net.reach", ok, address="10.0.0.2", expect="unreachable",
                   peer={"netns": "vm2"})[:2] == (
        False, "net.isolated_failed")
    silent = facts(parsed("net.ping", "no-answer"))
    assert verdict("net.reach", silent, address="10.9.9.9", interface="d0")[1] == \
        "net.reach_failed_from"
    silent_b = facts(parsed("net.ping", "no-answer"), b=facts(parsed("ip.addr", "bridge-address")))
    assert verdict("net.reach", silent_b, address="10.9.9.9", interface="d0",
                   expect="unreachable", peer={"role": "b"})[1] == "net.isolated_no_peer"
    noroute = facts(parsed("net.ping", "no-route"))
    assert "Network is unreachable" in verdict("net.reach", noroute, address="203.0.113.1")[2]


# -- isolation (expect: unreachable) only passes when there is something to isolate ----------
def test_isolation_needs_a_peer() -> None:
    with pytest.raises(ValueError, match="peer"):
        KINDS["net.reach"].Args.model_validate({"address": "10.0.0.1", "expect": "unreachable"})
    with pytest.raises(ValueError, match="role or a netns"):
        KINDS["net.reach"].Args.model_validate({"address": "10.0.0.1", "expect": "unreachable",
                                                "peer": {}})


@pytest.mark.parametrize(("case", "args", "key", "said"), [
    # `ovs-vsctl add-br ovsbr0` alone: the namespace that should ping does not exist
    ("netns-missing", {"address": "10.0.0.1", "netns": "nosuchns", "peer": {"netns": "vm5"}},
     "net.isolated_error_from", "Cannot open network namespace"),
    # no address, no route: ping cannot send anything
    ("no-route", {"address": "203.0.113.1", "peer": {"role": "b"}},
     "net.isolated_error", "Network is unreachable"),
])
def test_isolation_fails_when_ping_could_not_run(case: str, args: dict[str, Any], key: str,
                                                 said: str) -> None:
    """Real outputs of a ping that could not even send: that proves no isolation."""
    f = facts(parsed("net.ping", case), b=facts(parsed("ip.addr", "bridge-address")))
    passed, got, message = verdict("net.reach", f, expect="unreachable", **args)
    assert (passed, got) == (False, key)
    assert said in message and "no isolation" in message


def _silent(address: str, netns: str) -> tuple[Probe, Any]:
    """A ping from ``netns`` to ``address`` that got no reply (the real no-answer output)."""
    probe = probe_from_dict({"probe": "net.ping", "args": {"address": address, "netns": netns}})
    return probe, parsed("net.ping", "no-answer")[1]


def test_isolation_needs_the_isolated_address_to_exist() -> None:
    """No reply from an address nobody has is not isolation: the peer must hold it (real
    ``ip -j addr`` of a host with br0 10.10.0.1/24 and eth1 192.168.100.11/24)."""
    on_b = facts(parsed("ip.addr", "bridge-address"))
    args = {"netns": "vm3", "expect": "unreachable", "peer": {"role": "b"}}
    passed, key, message = verdict("net.reach", facts(_silent("10.10.0.5", "vm3"), b=on_b),
                                   address="10.10.0.5", **args)
    assert (passed, key) == (False, "net.isolated_no_peer")
    assert "10.10.0.5 is on no device of b" in message
    assert verdict("net.reach", facts(_silent("10.10.0.1", "vm3"), b=on_b),
                   address="10.10.0.1", **args)[:2] == (True, "net.isolated_ok_from")
    # the peer's namespace does not exist (real output): no verdict at all, so no points
    missing = probe_from_dict({"probe": "ip.addr", "args": {"netns": "lkp-nosuchns"}})
    with pytest.raises(ProbeUnavailable, match="Cannot open network namespace"):
        verdict("net.reach", Facts({_silent("10.10.0.1", "vm3")[0].key: Outcome(value=_silent(
            "10.10.0.1", "vm3")[1]), missing.key: Outcome(error=_error_of("netns-missing"))}),
            address="10.10.0.1", netns="vm3", expect="unreachable",
            peer={"netns": "lkp-nosuchns"})


def _error_of(case: str) -> str:
    """The error outcome the host gives for the recorded ip.addr ``case`` (parsed for real)."""
    data = json.loads((CASES / "ip.addr" / f"{case}.json").read_text(encoding="utf-8"))
    probe = probe_from_dict({"probe": data["probe"], "args": data["args"]})
    outcome = parse_outcome(probe, CommandResult(data["command"], data["exit_code"],
                                                 data["stdout"], data["stderr"]))
    assert outcome.error is not None
    return outcome.error


def test_a_bare_ovs_bridge_scores_one_point_on_net_bridges() -> None:
    """The whole grader on the host where only ``ovs-vsctl add-br ovsbr0`` was run: the
    namespaces vm3…vm8 do not exist (every ping in them fails to run, real output), the
    switch has no port. Only switch-exists passes; both isolation checks wait for the
    machine that pings to be on its switch, and fail when judged anyway."""
    spec = load_spec(GRADERS / "net-bridges.yaml")
    checks = bind(spec)
    outcomes: dict[str, Outcome] = {}
    for probe in probes_for(checks)["host"]:
        if probe.name == "ovs.state":
            outcomes[probe.key] = Outcome(value={"state": "ok", "bridges": {
                "ovsbr0": {"ports": {}}}})
        elif probe.name == "net.ping":
            case = "netns-missing" if getattr(probe, "netns", "") else "no-route"
            outcomes[probe.key] = Outcome(value=parsed("net.ping", case)[1])
        elif probe.name == "ip.addr" and getattr(probe, "netns", ""):
            outcomes[probe.key] = Outcome(error=_error_of("netns-missing"))
    results = {r.id: r for r in engine_evaluate(checks, {"host": Facts(outcomes)}, "en")}
    assert sum(r.points for r in results.values()) == 1
    assert [i for i, r in results.items() if r.status == "passed"] == ["switch-exists"]
    assert results["other-vlan-isolated"].status == "blocked"
    assert results["vlan-bridge-isolated"].status == "blocked"
    # judged without their requirements, they fail (ping could not run): never pass
    for check in checks:
        if check.spec.id.endswith("isolated"):
            facts_ = Facts(outcomes)
            assert not check.kind.evaluate(check.args, facts_).passed


def test_ovs() -> None:
    f = facts(parsed("ovs.state", "tagged-ports"))
    assert verdict("ovs.bridge", f, bridge="lkpovs")[0]
    assert verdict("ovs.bridge", f, bridge="ovsbr0")[1] == "ovs.bridge_missing"
    assert verdict("ovs.port", f, bridge="lkpovs", port="lkp1-sw", tag=10)[0]
    _ok, key, msg = verdict("ovs.port", f, bridge="lkpovs", port="lkp3-sw", tag=10)
    assert key == "ovs.tag_wrong" and "20" in msg
    assert verdict("ovs.port", f, bridge="lkpovs", port="lkp2-sw", trunks=[20, 10])[0]
    assert verdict("ovs.port", f, bridge="lkpovs", port="vm9", tag=10)[1] == "ovs.port_missing"


def test_sysctl() -> None:
    on = facts(parsed("sysctl.value", "forward-on-persistent"))
    off = facts(parsed("sysctl.value", "forward-off"))
    assert verdict("sysctl.value", on, setting="net.ipv4.ip_forward", value="1")[0]
    assert verdict("sysctl.value", on, setting="net.ipv4.ip_forward", value="1", when="boot")[0]
    assert verdict("sysctl.value", off, setting="net.ipv4.ip_forward", value="1")[1] == \
        "sysctl.now_wrong"
    assert verdict("sysctl.value", off, setting="net.ipv4.ip_forward", value="1",
                   when="boot")[1] == "sysctl.boot_missing"


@pytest.mark.parametrize(("nft", "ipt", "args", "key"), [
    ("masquerade", "empty", {"source": "10.0.10.0/24", "out": "eth1"}, "nat.ok"),
    ("empty", "masquerade", {"source": "10.0.10.0/24", "out": "eth1"}, "nat.ok"),
    ("empty", "snat", {"source": "10.0.20.0/24", "action": "snat"}, "nat.ok"),
    ("snat-iptables-nft", "empty", {"source": "10.0.20.0/24"}, "nat.ok"),
    ("masquerade", "empty", {"source": "10.0.10.0/25"}, "nat.ok"),
    ("masquerade", "empty", {"source": "10.0.0.0/16"}, "nat.source_wrong"),
    ("masquerade", "empty", {"source": "10.0.10.0/24", "out": "eth0"}, "nat.out_wrong"),
    ("masquerade", "empty", {"source": "10.0.10.0/24", "action": "snat"}, "nat.action_wrong"),
    ("empty", "empty", {"source": "10.0.10.0/24"}, "nat.missing"),
])
def test_nat(nft: str, ipt: str, args: dict[str, Any], key: str) -> None:
    f = facts(parsed("nft.ruleset", nft), parsed("iptables.save", ipt))
    assert verdict("firewall.nat", f, **args)[1] == key


def test_nat_needs_one_of_the_two_tools() -> None:
    nft = parsed("nft.ruleset", "masquerade")
    only_nft = Facts({nft[0].key: Outcome(value=nft[1])})
    assert verdict("firewall.nat", only_nft, source="10.0.10.0/24")[0]
    with pytest.raises(ProbeUnavailable):
        verdict("firewall.nat", Facts({}), source="10.0.10.0/24")


def test_persistent() -> None:
    f = facts(parsed("net.persist", "networkd-and-ifupdown"))
    assert verdict("net.persistent", f, device="eth1.10", vlan_id=10, parent="eth1",
                   address="10.0.10.11/24")[0]
    assert verdict("net.persistent", f, device="br20", kind="bridge",
                   address="10.0.20.1/24")[0]
    assert verdict("net.persistent", f, device="eth1.20", vlan_id=20, master="br20")[0]
    _ok, key, msg = verdict("net.persistent", f, device="eth1.10", vlan_id=20)
    assert key == "net.persist_wrong" and "vlan_id" in msg
    assert verdict("net.persistent", f, device="br9")[1] == "net.persist_missing"


def _placeholders(template: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}


def test_every_net_message_in_both_languages() -> None:
    keys = [k for k in CATALOG if k.split(".")[0] in ("net", "ovs", "sysctl", "nat")]
    assert len(keys) > 40
    for key in keys:
        gl, en = (_placeholders(CATALOG[key][lang]) for lang in LANGS)
        assert gl == en, key


def test_net_kinds_are_registered() -> None:
    assert {"net.device", "net.macvtap", "net.veth", "net.vlan", "net.master", "net.address",
            "net.route", "net.bridge_vlan", "net.reach", "net.persistent", "ovs.bridge",
            "ovs.port", "sysctl.value", "firewall.nat"} <= set(NET_KINDS)


#: Valid arguments of every network check kind: the shared examples
#: (tests/checks/examples_net.py, examples_ovs.py, examples_firewall.py), so a new kind adds
#: its arguments in one place.
NET_ARGS: dict[str, list[dict[str, Any]]] = {k: all_args()[k] for k in NET_KINDS}


@pytest.mark.parametrize("kind", NET_KINDS)
def test_missing_or_broken_probe_is_unavailable(kind: str) -> None:
    """A probe that was not collected, or failed, never turns into a verdict."""
    for raw in NET_ARGS[kind]:
        args = KINDS[kind].Args.model_validate(raw)
        with pytest.raises(ProbeUnavailable):
            KINDS[kind]().evaluate(args, Facts({}))
        probes = KINDS[kind]().probes(args)
        broken = Facts({p.key: Outcome(error="timed out after 15 s") for p in probes})
        with pytest.raises(ProbeUnavailable, match="timed out"):
            KINDS[kind]().evaluate(args, broken)


def _every_value() -> list[Any]:
    """Every recorded value of every network probe (each kind sees them all)."""
    out = []
    for path in sorted(CASES.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["probe"].split(".")[0] in ("ip", "bridge", "ovs", "nft", "iptables", "sysctl",
                                           "net") and not data.get("raises"):
            out.append(parsed(data["probe"], path.stem)[1])
    return out


class _Everything(Facts):
    def __init__(self, value: Any) -> None:
        super().__init__({})
        self.value = value

    def __getitem__(self, probe: Any) -> Any:
        return self.value


@pytest.mark.parametrize("kind", NET_KINDS)
def test_every_verdict_message_formats(kind: str) -> None:
    """Whatever the facts, a verdict's key is in the catalog and formats in both languages."""
    seen = set()
    for raw in NET_ARGS[kind]:
        args = KINDS[kind].Args.model_validate(raw)
        for value in _every_value():
            try:
                v = KINDS[kind]().evaluate(args, _Everything(value))
            except (KeyError, TypeError, AttributeError, ProbeUnavailable):
                continue  # a value of another probe's shape
            for lang in LANGS:
                text(v.key, lang, **v.values)
            seen.add(v.key)
    assert seen, kind
