"""The network parsers without a host: the other shapes iproute2 versions print, the OVSDB
JSON decoder, nft/iptables NAT detection, sysctl file order, the persistent configuration,
and fuzzing (a parser may only raise ProbeError)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labkit.errors import ProbeError
from labkit.probes.firewall import (
    IptablesSave,
    NftRuleset,
    Sysctl,
    effective_order,
    iptables_nat_rules,
)
from labkit.probes.net import (
    BridgeLink,
    BridgeVlan,
    IpAddr,
    IpLink,
    IpRoute,
    Ping,
)
from labkit.probes.net_persist import NetPersist, parse_ifupdown
from labkit.probes.ovs import OvsState, decode, tables
from labkit.transports.base import CommandResult


def result(stdout: str, exit_code: int = 0, stderr: str = "") -> CommandResult:
    return CommandResult("cmd", exit_code, stdout, stderr)


# -- iproute2 shapes ---------------------------------------------------------------------------
def test_link_without_linkinfo_and_old_vlan_shape() -> None:
    # older iproute2: no "protocol" in a VLAN's info_data, no info_slave_kind on ports
    out = json.dumps([
        {"ifindex": 3, "ifname": "eth1", "flags": ["UP", "LOWER_UP"], "mtu": 1500},
        {"ifindex": 4, "ifname": "eth1.10", "link": "eth1", "flags": ["UP"], "master": "br0",
         "linkinfo": {"info_kind": "vlan", "info_data": {"id": 10}}},
        {"ifindex": 5, "ifname": "vnet0", "master": "ovs-system", "flags": []},
    ])
    links = IpLink().parse(result(out))
    assert links["eth1"]["kind"] is None and links["eth1"]["up"]
    assert links["eth1.10"]["vlan"] == {"id": 10, "protocol": "802.1Q"}
    assert links["eth1.10"]["slave_kind"] == "bridge"
    assert links["vnet0"]["slave_kind"] == "openvswitch"


def test_bridge_vlan_old_dict_shape_and_ranges() -> None:
    old = json.dumps({"eth1": [{"vlan": 1, "flags": ["PVID", "Egress Untagged"]},
                               {"vlan": 10, "vlanEnd": 12}]})
    vlans = BridgeVlan().parse(result(old))
    assert [v["vid"] for v in vlans["eth1"]] == [1, 10, 11, 12]
    assert vlans["eth1"][0] == {"vid": 1, "pvid": True, "untagged": True}


@pytest.mark.parametrize("probe", [IpLink(), IpAddr(), IpRoute(), BridgeLink(), BridgeVlan()])
def test_empty_output_is_no_devices(probe: Any) -> None:
    assert not probe.parse(result(""))


def test_not_installed_and_bad_namespace() -> None:
    with pytest.raises(ProbeError, match="not installed"):
        IpLink().parse(result("", 127))
    with pytest.raises(ProbeError, match="namespace"):
        IpLink(netns="a b; rm -rf /").command()
    with pytest.raises(ProbeError):
        Ping("10.0.0.1", netns="$(reboot)").command()


def test_commands_quote_every_argument() -> None:
    cmd = Ping("10.0.0.1; reboot", interface="eth1 x").command()
    assert "'10.0.0.1; reboot'" in cmd and "'eth1 x'" in cmd
    assert IpLink(netns="vm1").command() == "ip -n vm1 -j -d link show"


# -- Open vSwitch ------------------------------------------------------------------------------
def test_ovsdb_decoder() -> None:
    assert decode(["uuid", "abc"]) == "abc"
    assert decode(["set", []]) == []
    assert decode(["set", [10, 20]]) == [10, 20]
    assert decode(["map", [["k", "v"], ["n", ["uuid", "u"]]]]) == {"k": "v", "n": "u"}
    assert decode(7) == 7
    for bad in (None, {"a": 1}, ["set"], ["bogus", 1], ["map", [1]]):
        with pytest.raises(ProbeError):
            decode(bad)


def test_ovs_tables_and_states() -> None:
    text = ('{"data":[[["uuid","u1"],"br",["uuid","p1"]]],"headings":["_uuid","name","ports"]}\n'
            '{"data":[[["uuid","p1"],"br",["set",[]],["set",[]],["set",[]],["uuid","i1"]]],'
            '"headings":["_uuid","name","tag","trunks","vlan_mode","interfaces"]}\n'
            '{"data":[[["uuid","i1"],"br","internal",65534,["map",[]],["set",[]]]],'
            '"headings":["_uuid","name","type","ofport","options","error"]}')
    assert len(tables(text)) == 3
    state = OvsState().parse(result(text))
    assert state["bridges"]["br"]["ports"]["br"]["interfaces"][0]["type"] == "internal"
    assert OvsState().parse(result("", 127)) == {"state": "not-installed"}
    down = "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed"
    assert OvsState().parse(result("", 1, down)) == {"state": "not-running"}


# -- NAT -----------------------------------------------------------------------------------------
def test_iptables_nat_rules() -> None:
    text = ("*filter\n-A FORWARD -j ACCEPT\nCOMMIT\n*nat\n"
            "-A POSTROUTING -s 10.0.10.0/24 ! -d 10.0.10.0/24 -o eth1 -j MASQUERADE\n"
            "-A PREROUTING -i eth1 -p tcp --dport 80 -j DNAT --to-destination 10.0.10.11:8080\n"
            "-A POSTROUTING -s 10.0.20.5 -j SNAT --to-source 198.51.100.1-198.51.100.3\n"
            "COMMIT\n")
    rules = iptables_nat_rules(text)
    assert [(r["action"], r["hook"], r["saddr"], r["oif"], r["to"]) for r in rules] == [
        ("masquerade", "postrouting", "10.0.10.0/24", "eth1", None),
        ("dnat", "prerouting", None, None, "10.0.10.11"),
        ("snat", "postrouting", "10.0.20.5/32", None, "198.51.100.1"),
    ]


def test_nft_snat_with_address_and_no_chain() -> None:
    doc = {"nftables": [
        {"chain": {"family": "inet", "table": "t", "name": "post", "hook": "postrouting"}},
        {"rule": {"family": "inet", "table": "t", "chain": "post", "expr": [
            {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
                       "right": "10.0.10.7"}},
            {"snat": {"addr": "198.51.100.1"}}]}},
        {"rule": {"family": "ip", "table": "x", "chain": "nochain", "expr": [
            {"masquerade": None}]}},
    ]}
    nat = NftRuleset().parse(result(json.dumps(doc)))["nat"]
    assert nat[0]["saddr"] == "10.0.10.7/32" and nat[0]["to"] == "198.51.100.1"
    assert nat[1]["hook"] is None and nat[1]["action"] == "masquerade"
    assert NftRuleset().parse(result("", 127))["installed"] is False


# -- sysctl ------------------------------------------------------------------------------------
def test_sysctl_file_order() -> None:
    paths = ["/usr/lib/sysctl.d/50-default.conf", "/etc/sysctl.d/50-default.conf",
             "/etc/sysctl.d/10-a.conf", "/run/sysctl.d/70-b.conf", "/etc/sysctl.conf"]
    assert effective_order(paths) == ["/etc/sysctl.d/10-a.conf", "/etc/sysctl.d/50-default.conf",
                                      "/run/sysctl.d/70-b.conf", "/etc/sysctl.conf"]
    # Debian's /etc/sysctl.d/99-sysctl.conf is /etc/sysctl.conf: read once, in its place
    assert effective_order(["/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.conf"]) == [
        "/etc/sysctl.d/99-sysctl.conf"]


def test_sysctl_last_file_wins_and_slash_keys() -> None:
    out = ("1\n--labkit-persistent--\n==> /etc/sysctl.d/10-on.conf <==\n"
           "net/ipv4/ip_forward=1\n==> /etc/sysctl.d/90-off.conf <==\n"
           "# net.ipv4.ip_forward = 1\n net.ipv4.ip_forward = 0 \n")
    fact = Sysctl("net.ipv4.ip_forward").parse(result(out))
    assert fact["persistent"] == "0" and fact["source"] == "/etc/sysctl.d/90-off.conf"
    with pytest.raises(ProbeError):
        Sysctl("net.ipv4.ip_forward; reboot").command()


# -- persistent configuration -----------------------------------------------------------------
def test_ifupdown_stanzas() -> None:
    devices: dict[str, dict[str, Any]] = {}
    parse_ifupdown("auto vlan10\niface vlan10 inet static\n  address 10.0.10.11/24\n"
                   "  vlan-raw-device eth1\n  vlan-id 10\n\n"
                   "iface br0 inet manual\n  bridge_ports eth1.20 vm1-sw\n"
                   "iface eth1.20 inet manual # comment\n", "/etc/network/interfaces", devices)
    assert devices["vlan10"]["kind"] == "vlan" and devices["vlan10"]["vlan_id"] == 10
    assert devices["vlan10"]["parent"] == "eth1"
    assert devices["br0"]["kind"] == "bridge"
    assert devices["vm1-sw"]["master"] == "br0"
    assert devices["eth1.20"]["vlan_id"] == 20 and devices["eth1.20"]["master"] == "br0"


def test_networkd_drop_in_and_wildcards() -> None:
    out = ("\n==> /etc/systemd/network/20-lab.network <==\n[Match]\nName=eth1\n"
           "\n==> /etc/systemd/network/20-lab.network.d/v.conf <==\n[Network]\nVLAN=eth1.30\n"
           "\n==> /etc/systemd/network/99-all.network <==\n[Match]\nName=en*\n[Network]\nDHCP=yes\n"
           "\n==> /etc/systemd/network/30-v.netdev <==\n[NetDev]\nName=eth1.30\nKind=vlan\n"
           "[VLAN]\nId=30\n")
    devices = NetPersist().parse(result(out))["devices"]
    assert devices["eth1.30"]["parent"] == "eth1" and devices["eth1.30"]["vlan_id"] == 30
    assert "en*" not in devices


# -- fuzzing: parsers raise only ProbeError ---------------------------------------------------
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
              st.sampled_from(["uuid", "set", "map", "ifname", "vlan", "eth1", "PVID"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["ifname", "linkinfo", "info_kind", "info_data", "vlans", "vlan",
                                 "flags", "addr_info", "local", "prefixlen", "dst", "headings",
                                 "data", "nftables", "rule", "chain", "expr", "match", "left",
                                 "right", "payload", "meta", "key", "masquerade", "xt", "link",
                                 "master", "mode", "id", "vlanEnd", "table", "hook"]),
                                inner, max_size=4)),
    max_leaves=20)

PARSERS = [IpLink(), IpAddr(), IpRoute(), BridgeLink(), BridgeVlan(), OvsState(),
           NftRuleset(), IptablesSave(), Sysctl("net.ipv4.ip_forward"), NetPersist(),
           Ping("10.0.0.1")]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PARSERS), st.one_of(JSONISH.map(json.dumps), st.text(max_size=300)),
       st.sampled_from([0, 1, 2, 127]))
def test_parsers_raise_only_probe_error(probe: Any, stdout: str, code: int) -> None:
    with contextlib.suppress(ProbeError):
        probe.parse(result(stdout, code))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["*nat", "*filter", "-A POSTROUTING", "-s", "10.0.0.0/8", "-o",
                                 "eth1", "-j", "MASQUERADE", "SNAT", "--to-source", "'", '"',
                                 "\n", " ", "COMMIT"]), max_size=30).map(" ".join))
def test_iptables_fuzz(text: str) -> None:
    with contextlib.suppress(ProbeError):
        iptables_nat_rules(text)
