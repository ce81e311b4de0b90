"""Capture the network probe cases from the REAL tools inside a sandbox VM.

    .venv/bin/labkit lab up network --name net-dev        # or any lab with a host "a"
    .venv/bin/labkit lab reset a --name net-dev           # the cases expect a clean host
    .venv/bin/python tests/probes/capture_net.py [--lab net-dev] [--host a] [NAME…]

Each case's ``setup`` runs in the VM over SSH, inside a fresh network namespace
(``labkit-probe``) unless its setup says ``# netns: root`` (Open vSwitch and the files of the
persistent configuration are not per namespace; such a case names its ``# cleanup:``). The
probe's command runs in the same place; the namespace is deleted afterwards. The files are
``tests/probes/<probe>/<name>.json`` in the usual format (see ``_cases.py``); ``dir`` is
``""`` (no temp dir is involved).

Every setup starts with :data:`GUARD`: it refuses to run anywhere but in a sandbox VM, so
the generic local re-capture in ``test_probe_cases.py`` can never create devices, rules or
settings on the machine running the tests (that test fails on these cases instead; the live
re-capture of these cases is ``tests/net/test_net_probe_cases_live.py``, in the VM).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _cases import CASES_DIR, as_json

from labkit.errors import ProbeError
from labkit.probes import probe_from_dict
from labkit.probes.base import Probe

NETNS = "labkit-probe"
GUARD = ("[ -x /usr/local/sbin/labkit-setup ] || { echo 'network probe cases run only in "
         "a sandbox VM: tests/probes/capture_net.py' >&2; exit 1; }")
DUMMY = "ip link add eth1 type dummy && ip link set eth1 up"
OVS_CLEANUP = "# cleanup: ovs-vsctl --if-exists del-br lkpovs; ip link del lkp1 2>/dev/null; " \
              "ip link del lkp2 2>/dev/null; ip link del lkp3 2>/dev/null; true"

# (probe, case name, args, setup)
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("ip.link", "devices", {}, f"""{DUMMY}
ip tuntap add tap0 mode tap
ip tuntap add tun0 mode tun
ip link add dev veth0 type veth peer name veth0-sw
ip link add link eth1 name macvtap0 type macvtap mode bridge
ip link add link eth1 name macvtap1 type macvtap mode private
ip link add link eth1 name macvtap2 type macvtap
ip link add link eth1 name eth1.10 type vlan id 10
ip link add br0 type bridge
ip link set veth0-sw master br0
ip link set veth0 up
ip link set veth0-sw up
ip link set br0 up
ip link add br1 type bridge vlan_filtering 1
ip link set eth1.10 master br1"""),
    ("ip.link", "empty-namespace", {}, "true"),
    ("ip.link", "netns-missing", {"netns": "nosuchns"}, "true"),
    ("ip.addr", "bridge-address", {}, f"""{DUMMY}
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.10.0.1/24 dev br0
ip addr add 192.168.100.11/24 dev eth1"""),
    ("ip.route", "gateway", {}, f"""{DUMMY}
ip link add link eth1 name eth1.10 type vlan id 10
ip link set eth1.10 up
ip addr add 10.0.10.11/24 dev eth1.10
ip route add 198.51.100.0/24 via 10.0.10.1
ip route add 203.0.113.7 dev eth1.10
ip route add default via 10.0.10.1"""),
    ("bridge.link", "ports", {}, f"""{DUMMY}
ip link add br0 type bridge
ip link add dev vm1 type veth peer name vm1-sw
ip link set vm1-sw master br0
ip link set eth1 master br0
ip link set br0 up; ip link set vm1-sw up; ip link set vm1 up"""),
    ("bridge.vlan", "vlan-aware", {}, f"""{DUMMY}
ip link add br0 type bridge vlan_filtering 1
ip link add dev vm1 type veth peer name vm1-sw
ip link add dev vm2 type veth peer name vm2-sw
ip link set vm1-sw master br0; ip link set vm2-sw master br0; ip link set eth1 master br0
bridge vlan add dev vm1-sw vid 10 pvid untagged
bridge vlan add dev vm2-sw vid 20 pvid untagged
bridge vlan del dev vm1-sw vid 1
bridge vlan add dev eth1 vid 10
bridge vlan add dev eth1 vid 20
bridge vlan add dev eth1 vid 30-32"""),
    ("bridge.vlan", "no-bridge", {}, "true"),
    ("net.ping", "reachable", {"address": "10.0.0.2"}, """ip link set lo up
ip link add dev vm1 type veth peer name vm1-sw
ip addr add 10.0.0.2/24 dev vm1
ip link set vm1 up; ip link set vm1-sw up"""),
    ("net.ping", "no-answer", {"address": "10.9.9.9", "interface": "d0"}, """
ip link add d0 type dummy; ip link set d0 up; ip addr add 10.9.9.1/24 dev d0"""),
    ("net.ping", "no-route", {"address": "203.0.113.1"}, "ip link set lo up"),
    ("net.ping", "netns-missing", {"address": "10.0.0.1", "netns": "nosuchns"}, "true"),
    ("ovs.state", "tagged-ports", {}, f"""# netns: root
{OVS_CLEANUP}
ovs-vsctl --may-exist add-br lkpovs
ip link add lkp1 type veth peer name lkp1-sw
ip link add lkp2 type veth peer name lkp2-sw
ip link add lkp3 type veth peer name lkp3-sw
ovs-vsctl add-port lkpovs lkp1-sw tag=10
ovs-vsctl add-port lkpovs lkp2-sw trunks=10,20
ovs-vsctl add-port lkpovs lkp3-sw tag=20 vlan_mode=access
ovs-vsctl add-port lkpovs lkpint -- set Interface lkpint type=internal"""),
    ("ovs.state", "no-bridges", {}, "# netns: root\n# cleanup: true\n"
     "test -z \"$(ovs-vsctl list-br)\" || { echo 'OVS bridges exist' >&2; exit 1; }"),
    ("nft.ruleset", "masquerade", {}, """nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority 100; }'
nft add rule ip nat postrouting ip saddr 10.0.10.0/24 oifname "eth1" masquerade"""),
    ("nft.ruleset", "snat-iptables-nft", {}, """
iptables -t nat -A POSTROUTING -s 10.0.20.0/24 -o eth1 -j SNAT --to-source 198.51.100.1"""),
    ("nft.ruleset", "empty", {}, "true"),
    ("iptables.save", "masquerade", {}, """
iptables -t nat -A POSTROUTING -s 10.0.10.0/24 -o eth1 -j MASQUERADE"""),
    ("iptables.save", "snat", {}, """
iptables -t nat -A POSTROUTING -s 10.0.20.0/24 -o eth1 -j SNAT --to-source 198.51.100.1"""),
    ("iptables.save", "empty", {}, "true"),
    ("sysctl.value", "forward-on-persistent", {"setting": "net.ipv4.ip_forward"}, """# netns: root
# cleanup: rm -f /etc/sysctl.d/60-lkp-forward.conf; sysctl -q -w net.ipv4.ip_forward=0
printf '# labkit probe case\\nnet.ipv4.ip_forward = 1\\n' > /etc/sysctl.d/60-lkp-forward.conf
sysctl -q -w net.ipv4.ip_forward=1"""),
    ("sysctl.value", "forward-off", {"setting": "net.ipv4.ip_forward"}, "true"),
    ("sysctl.value", "slash-key", {"setting": "net/ipv4/conf/all/forwarding"}, "true"),
    ("sysctl.value", "unknown-key", {"setting": "net.ipv4.no_such_key"}, "true"),
    ("net.persist", "networkd-and-ifupdown", {}, """# netns: root
# cleanup: rm -f /etc/systemd/network/90-lkp-* /etc/network/interfaces.d/lkp \
/etc/systemd/network/20-lab.network.d/lkp-vlan.conf; \
rmdir /etc/systemd/network/20-lab.network.d /etc/network/interfaces.d 2>/dev/null; true
N=/etc/systemd/network
mkdir -p $N/20-lab.network.d /etc/network/interfaces.d
printf '[Network]\\nVLAN=eth1.10\\n' > $N/20-lab.network.d/lkp-vlan.conf
printf '[NetDev]\\nName=eth1.10\\nKind=vlan\\n\\n[VLAN]\\nId=10\\n' > $N/90-lkp-eth1.10.netdev
printf '[Match]\\nName=eth1.10\\n\\n[Network]\\nAddress=10.0.10.11/24\\n' \\
  > $N/90-lkp-eth1.10.network
printf '[NetDev]\\nName=br0\\nKind=bridge\\n' > $N/90-lkp-br0.netdev
printf '[Match]\\nName=vm1-sw\\n\\n[Network]\\nBridge=br0\\n' > $N/90-lkp-vm1.network
cat > /etc/network/interfaces.d/lkp <<END
auto br20
iface br20 inet static
    address 10.0.20.1
    netmask 255.255.255.0
    bridge_ports eth1.20

auto eth1.20
iface eth1.20 inet manual
    vlan-raw-device eth1
END"""),
]


def directive(setup: str, name: str) -> str | None:
    """The value of a ``# name: value`` line of a setup, if any."""
    for line in setup.splitlines():
        if line.startswith(f"# {name}:"):
            return line.split(":", 1)[1].strip()
    return None


def wrap(script: str, setup: str) -> str:
    """``script`` run where the case lives: in the case's namespace, or as it is."""
    if directive(setup, "netns") == "root":
        return script
    quoted = script.replace("'", "'\"'\"'")
    return f"ip netns exec {NETNS} sh -c '{quoted}'"


def run_case(host: Any, probe_name: str, args: dict[str, Any], setup: str
             ) -> tuple[Probe, Any]:
    """Set the case up in the VM, run the probe's command, clean up; (probe, result)."""
    probe = probe_from_dict({"probe": probe_name, "args": args})
    root = directive(setup, "netns") == "root"
    cleanup = directive(setup, "cleanup") or "true"
    if root:
        host.transport.run(cleanup, timeout=60)
    else:
        host.transport.run(f"ip netns del {NETNS} 2>/dev/null; ip netns add {NETNS}",
                           timeout=30)
    try:
        done = host.transport.run(wrap(f"set -eu\n{GUARD}\n{setup}", setup), timeout=120)
        if not done.ok:
            raise RuntimeError(f"setup of {probe_name} failed: {done.tail(5)}")
        # Links settle asynchronously (a bridge turns UP once its port's carrier arrives):
        # read only when two looks at the links, 0.3 s apart, agree (5 s at most).
        settle = ("prev=; for i in $(seq 16); do now=$(ip -o link 2>/dev/null); "
                  '[ "$now" = "$prev" ] && break; prev=$now; sleep 0.3; done; true')
        host.transport.run(wrap(settle, setup), timeout=30)
        result = host.transport.run(
            "export LC_ALL=C; " + wrap(probe.command(), setup), timeout=probe.timeout + 10)
    finally:
        host.transport.run(cleanup if root else f"ip netns del {NETNS}", timeout=60)
    return probe, result


def case_setup(setup: str) -> str:
    return f"{GUARD}\n{setup.strip()}"


def capture(host: Any, item: tuple[str, str, dict[str, Any], str]) -> dict[str, Any]:
    probe_name, _name, args, setup = item
    probe, result = run_case(host, probe_name, args, setup)
    case: dict[str, Any] = {
        "probe": probe_name, "args": args, "setup": case_setup(setup), "dir": "",
        "command": probe.command(), "exit_code": result.exit_code,
        "stdout": result.stdout, "stderr": result.stderr, "expected": None,
    }
    try:
        case["expected"] = as_json(probe.parse(result))
    except ProbeError:
        case["raises"] = "ProbeError"
    return case


def main(argv: list[str] | None = None) -> int:
    from labkit.host import Host
    from labkit.sandbox import lab_hosts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default="net-dev")
    parser.add_argument("--host", default="a")
    parser.add_argument("names", nargs="*")
    opts = parser.parse_args(argv)
    url = lab_hosts(opts.lab)[opts.host]
    with Host(url) as host:
        for item in CASES:
            if opts.names and item[1] not in opts.names and item[0] not in opts.names:
                continue
            case = capture(host, item)
            path = CASES_DIR / item[0] / f"{item[1]}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print(f"{item[0]}/{item[1]}: exit {case['exit_code']}"
                  + (" (raises ProbeError)" if "raises" in case else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
