"""Examples for labkit/checks/net.py (see _examples.py); device names as in the recorded
cases (tests/probes/setups.py, NET): tap0, tun0, veth0/veth0-sw in br0, macvtap0-2 on eth1,
eth1.10 (VLAN 10) in the VLAN-aware br1; VLAN-aware ports vm1-sw/vm2-sw/eth1; routes via
10.0.10.1 on eth1.10."""

from __future__ import annotations

import copy
from typing import Any

from _examples import recorded

ARGS: dict[str, list[dict[str, Any]]] = {
    "net.device": [{"device": "tap0", "kind": "tap", "up": True}, {"device": "br0"},
                   {"device": "tun0", "kind": "tap"}, {"device": "veth0", "up": True},
                   {"device": "veth0", "up": False}, {"device": "tap0", "up": False},
                   {"device": "nothing"}],
    "net.macvtap": [{"device": "macvtap0", "parent": "eth1", "mode": "bridge"},
                    {"device": "macvtap1", "parent": "eth1", "mode": "bridge"},
                    {"device": "macvtap0", "parent": "eth2", "mode": "bridge"},
                    {"device": "tap0", "parent": "eth1", "mode": "vepa"}],
    "net.veth": [{"device": "veth0", "peer": "veth0-sw"}, {"device": "veth0", "peer": "x"},
                 {"device": "tap0", "peer": "veth0-sw"}],
    "net.vlan": [{"device": "eth1.10", "parent": "eth1", "id": 10},
                 {"device": "eth1.10", "parent": "eth1", "id": 20},
                 {"device": "eth1.10", "parent": "eth2", "id": 10},
                 {"device": "br0", "parent": "eth1", "id": 10}],
    "net.master": [{"device": "veth0-sw", "master": "br0"}, {"device": "veth0", "master": "br0"},
                   {"device": "veth0-sw", "master": "br1"},
                   {"device": "veth0-sw", "master": "nothing"},
                   {"device": "vm3-sw", "master": "br0"}],
    "net.address": [{"device": "br0", "address": "10.10.0.1/24"},
                    {"device": "br0", "address": "10.10.0.1/16"},
                    {"device": "br0", "address": "192.168.100.11/24"},
                    {"device": "br0", "address": "10.10.0.2/24"},
                    {"device": "nothing", "address": "10.10.0.1/24"}],
    "net.route": [{"dst": "198.51.100.0/24", "gateway": "10.0.10.1"},
                  {"dst": "default", "dev": "eth1.10"},
                  {"dst": "198.51.100.0/24", "gateway": "10.0.10.254"},
                  {"dst": "192.0.2.0/24"}],
    "net.bridge_vlan": [{"bridge": "br0", "port": "vm1-sw", "vid": 10, "untagged": True},
                        {"bridge": "br0", "port": "vm2-sw", "vid": 1, "untagged": True},
                        {"bridge": "br0", "port": "eth1", "vid": 10},
                        {"bridge": "br0", "port": "eth1", "vid": 1},
                        {"bridge": "br0", "port": "eth1", "vid": 99},
                        {"bridge": "br0", "port": "nothing", "vid": 10},
                        {"bridge": "br1", "port": "eth1.10", "vid": 10},
                        {"bridge": "br1", "port": "veth0-sw", "vid": 10},
                        {"bridge": "nothing", "port": "eth1", "vid": 10}],
    "net.reach": [{"address": "10.0.10.1"}, {"address": "10.0.10.12", "netns": "vm3",
                                             "expect": "unreachable", "peer": {"netns": "vm5"}},
                  {"address": "10.0.10.12", "expect": "unreachable", "peer": {"role": "b"}},
                  # 10.10.0.1 is on br0 in the recorded ip.addr case: isolation from it
                  {"address": "10.10.0.1", "expect": "unreachable", "peer": {"role": "b"}},
                  {"address": "10.10.0.1", "netns": "vm3", "expect": "unreachable",
                   "peer": {"netns": "vm5"}},
                  {"address": "10.0.10.1", "interface": "eth1.10"}],
    "net.persistent": [{"device": "eth1.10", "kind": "vlan", "vlan_id": 10, "parent": "eth1",
                        "address": "10.0.10.11/24"},
                       {"device": "eth1.10", "vlan_id": 20},
                       {"device": "eth1.10", "address": "10.0.10.12/24"},
                       {"device": "vm1-sw", "master": "br0"},
                       {"device": "nothing"}],
}


def _vlan_aware_br0() -> dict[str, Any]:
    """The recorded devices with br0 VLAN-aware and the ports of the VLAN-aware case in it,
    and a port enslaved to Open vSwitch."""
    links: dict[str, Any] = copy.deepcopy(recorded("ip.link", "devices"))
    links["br0"]["bridge"] = {"vlan_filtering": True, "stp": False}
    for name in ("vm1-sw", "vm2-sw", "eth1"):
        links[name] = {**copy.deepcopy(links["veth0-sw"]), "name": name, "master": "br0"}
    links["vm3-sw"] = {**copy.deepcopy(links["veth0-sw"]), "name": "vm3-sw",
                       "master": "ovs-system", "slave_kind": "openvswitch"}
    return links


VALUES: dict[str, list[Any]] = {
    "ip.link": [_vlan_aware_br0()],
}
