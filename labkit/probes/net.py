"""Network devices read with iproute2: links (with details), addresses, routes, bridge ports
and bridge VLANs; and ``ping`` as a functional probe. (The configuration that survives a
reboot is read by ``labkit.probes.net_persist``.)

All ``ip``/``bridge`` probes use the JSON output (``-j``). iproute2 versions differ in
details (a missing ``linkinfo``, ``info_slave_kind`` only on ports, old ``bridge -j vlan``
printing ``{"port": [...]}`` instead of ``[{"ifname": "port", "vlans": [...]}]``, VLAN
ranges as ``vlanEnd``), so each parser reads only the fields it needs and accepts both shapes.

Every probe may run inside a network namespace (``netns``: ``ip -n NS …`` or
``ip netns exec NS …``). ``Ping`` sends a few ICMP packets inside the lab network: it
changes no configuration (only the neighbour cache learns the peer's MAC).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

_NS = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _json_list(result: CommandResult, tool: str) -> list[dict[str, Any]]:
    if not result.ok:
        if result.exit_code == 127:
            raise ProbeError(f"{tool} is not installed on the lab host")
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no output"
        raise ProbeError(f"{tool} failed: {last}")
    text = result.stdout.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ProbeError(f"{tool} printed something that is not JSON") from None
    if isinstance(data, dict):  # old `bridge -j vlan`: {"port": [...]}
        return [{"ifname": k, "vlans": v} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ProbeError(f"{tool} printed an unexpected JSON shape")
    return data


def _s(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _i(entry: dict[str, Any], key: str) -> int | None:
    value = entry.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _d(entry: dict[str, Any], key: str) -> dict[str, Any]:
    value = entry.get(key)
    return value if isinstance(value, dict) else {}


def _name(entry: dict[str, Any], tool: str) -> str:
    name = entry.get("ifname")
    if not isinstance(name, str) or not name:
        raise ProbeError(f"{tool} printed a device without a name")
    return name


def ip_prefix(netns: str) -> str:
    """``ip`` or ``ip -n NS`` (a namespace name is checked: it reaches a shell)."""
    if not netns:
        return "ip"
    if not _NS.match(netns):
        raise ProbeError(f"not a network namespace name: {netns!r}")
    return f"ip -n {q(netns)}"


class VlanTag(TypedDict):
    id: int | None
    protocol: str


class BridgeOptions(TypedDict):
    vlan_filtering: bool
    stp: bool


class LinkInfo(TypedDict):
    """One network device (``ip.link``): see IpLink."""

    name: str
    ifindex: int | None
    kind: str | None
    mode: str | None
    parent: str | None
    parent_netns: bool
    master: str | None
    slave_kind: str | None
    up: bool
    lower_up: bool
    operstate: str | None
    mac: str | None
    mtu: int | None
    vlan: VlanTag | None
    bridge: BridgeOptions | None
    port_state: str | None


class RouteInfo(TypedDict):
    dst: str
    gateway: str | None
    dev: str | None
    protocol: str | None
    scope: str | None
    prefsrc: str | None


class BridgePortInfo(TypedDict):
    master: str | None
    state: str | None


class PortVlan(TypedDict):
    vid: int
    pvid: bool
    untagged: bool


def _link(entry: dict[str, Any]) -> LinkInfo:
    info = _d(entry, "linkinfo")
    data = _d(info, "info_data")
    slave = _d(info, "info_slave_data")
    flags = entry.get("flags")
    flags = [f for f in flags if isinstance(f, str)] if isinstance(flags, list) else []
    kind = _s(info, "info_kind")
    mode = None
    if kind in ("macvtap", "macvlan", "ipvlan"):
        mode = _s(data, "mode")
    elif kind == "tun":
        mode = _s(data, "type")
    vlan: VlanTag | None = None
    if kind == "vlan":
        vid = _i(data, "id")
        vlan = {"id": vid, "protocol": _s(data, "protocol") or "802.1Q"}
    bridge: BridgeOptions | None = None
    if kind == "bridge":
        bridge = {"vlan_filtering": bool(_i(data, "vlan_filtering")),
                  "stp": bool(_i(data, "stp_state"))}
    slave_kind = _s(info, "info_slave_kind")
    master = _s(entry, "master")
    if slave_kind is None and master is not None:
        slave_kind = "bridge" if master != "ovs-system" else "openvswitch"
    return {
        "name": _name(entry, "ip"),
        "ifindex": _i(entry, "ifindex"),
        "kind": kind,
        "mode": mode,
        "parent": _s(entry, "link"),    # veth: the peer; vlan/macvtap: the lower device
        "parent_netns": "link_netnsid" in entry,  # that device is in another namespace
        "master": master,
        "slave_kind": slave_kind,
        "up": "UP" in flags,
        "lower_up": "LOWER_UP" in flags,
        "operstate": _s(entry, "operstate"),
        "mac": _s(entry, "address"),
        "mtu": _i(entry, "mtu"),
        "vlan": vlan,
        "bridge": bridge,
        "port_state": _s(slave, "state"),
    }


@dataclass(frozen=True)
class IpLink(Probe[dict[str, LinkInfo]]):
    """``ip -j -d link show``: every network device with the details labkit grades.

    Returns ``{name: {"name", "ifindex", "kind", "mode", "parent", "parent_netns",
    "master", "slave_kind", "up", "lower_up", "operstate", "mac", "mtu", "vlan", "bridge",
    "port_state"}}`` where ``kind`` is iproute2's ``info_kind`` (``tun``, ``veth``,
    ``bridge``, ``vlan``, ``macvtap``, ``openvswitch``… or None for a plain NIC), ``mode``
    the tun type (``tun``/``tap``) or the macvtap mode (``vepa``/``bridge``/``private``/
    ``passthru``), ``parent`` the device in ``link`` (a veth's peer, a VLAN's or macvtap's
    lower device; None and ``parent_netns`` true when it is in another network namespace),
    ``vlan`` ``{"id", "protocol"}`` and ``bridge`` ``{"vlan_filtering", "stp"}``.
    """

    name: ClassVar[str] = "ip.link"
    netns: str = ""

    def command(self) -> str:
        return f"{ip_prefix(self.netns)} -j -d link show"

    def parse(self, result: CommandResult) -> dict[str, LinkInfo]:
        return {link["name"]: link for link in map(_link, _json_list(result, "ip link"))}


@dataclass(frozen=True)
class IpAddr(Probe[dict[str, list[str]]]):
    """``ip -j addr show``: ``{device: ["192.0.2.1/24", "fe80::1/64", …]}`` (every device,
    an empty list when it has no address)."""

    name: ClassVar[str] = "ip.addr"
    netns: str = ""

    def command(self) -> str:
        return f"{ip_prefix(self.netns)} -j addr show"

    def parse(self, result: CommandResult) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for entry in _json_list(result, "ip addr"):
            found = []
            infos = entry.get("addr_info")
            for info in infos if isinstance(infos, list) else []:
                if isinstance(info, dict) and _s(info, "local") \
                        and _i(info, "prefixlen") is not None:
                    found.append(f"{info['local']}/{info['prefixlen']}")
            out[_name(entry, "ip addr")] = found
        return out


@dataclass(frozen=True)
class IpRoute(Probe[list[RouteInfo]]):
    """``ip -j route show`` (IPv4, main table): ``[{"dst", "gateway", "dev", "protocol",
    "scope", "prefsrc"}]`` with ``dst`` ``default`` or a prefix (a host route gets ``/32``)."""

    name: ClassVar[str] = "ip.route"
    netns: str = ""

    def command(self) -> str:
        return f"{ip_prefix(self.netns)} -j -4 route show"

    def parse(self, result: CommandResult) -> list[RouteInfo]:
        routes: list[RouteInfo] = []
        for entry in _json_list(result, "ip route"):
            dst = _s(entry, "dst")
            if dst is None:
                raise ProbeError("ip route printed a route without a destination")
            if dst != "default" and "/" not in dst:
                dst += "/32"
            routes.append({"dst": dst, "gateway": _s(entry, "gateway"), "dev": _s(entry, "dev"),
                           "protocol": _s(entry, "protocol"), "scope": _s(entry, "scope"),
                           "prefsrc": _s(entry, "prefsrc")})
        return routes


@dataclass(frozen=True)
class BridgeLink(Probe[dict[str, BridgePortInfo]]):
    """``bridge -j link show``: the ports of the Linux bridges,
    ``{port: {"master", "state"}}`` (``state``: ``forwarding``, ``disabled``, …)."""

    name: ClassVar[str] = "bridge.link"
    netns: str = ""

    def command(self) -> str:
        ns = f"ip netns exec {q(self.netns)} " if self.netns and _NS.match(self.netns) else ""
        if self.netns and not ns:
            raise ProbeError(f"not a network namespace name: {self.netns!r}")
        return f"{ns}bridge -j link show"

    def parse(self, result: CommandResult) -> dict[str, BridgePortInfo]:
        return {_name(e, "bridge link"): {"master": _s(e, "master"), "state": _s(e, "state")}
                for e in _json_list(result, "bridge link")}


def _vlan_entries(vlans: Any) -> list[PortVlan]:
    out: list[PortVlan] = []
    for item in vlans if isinstance(vlans, list) else []:
        if not isinstance(item, dict):
            continue
        start = _i(item, "vlan")
        if start is None:
            continue
        end = _i(item, "vlanEnd") or start
        raw = item.get("flags")
        flags: list[Any] = raw if isinstance(raw, list) else []
        for vid in range(start, min(end, 4094) + 1):
            out.append({"vid": vid, "pvid": "PVID" in flags,
                        "untagged": "Egress Untagged" in flags})
    return out


@dataclass(frozen=True)
class BridgeVlan(Probe[dict[str, list[PortVlan]]]):
    """``bridge -j vlan show``: the VLANs of each port of a VLAN-aware bridge (and of the
    bridge itself), ``{port: [{"vid", "pvid", "untagged"}]}``. ``pvid``: untagged frames that
    come in are put in this VLAN; ``untagged``: frames of this VLAN leave without a tag."""

    name: ClassVar[str] = "bridge.vlan"
    netns: str = ""

    def command(self) -> str:
        ns = f"ip netns exec {q(self.netns)} " if self.netns and _NS.match(self.netns) else ""
        if self.netns and not ns:
            raise ProbeError(f"not a network namespace name: {self.netns!r}")
        return f"{ns}bridge -j vlan show"

    def parse(self, result: CommandResult) -> dict[str, list[PortVlan]]:
        out: dict[str, list[PortVlan]] = {}
        for entry in _json_list(result, "bridge vlan"):
            out.setdefault(_name(entry, "bridge vlan"), []).extend(
                _vlan_entries(entry.get("vlans")))
        return out


_PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")


@dataclass(frozen=True)
class PingResult:
    """What ``ping`` saw: echo requests sent and replies received; ``error`` is why ping
    could not even send (no route, no such namespace), and then nothing was sent."""

    reachable: bool
    transmitted: int
    received: int
    error: str | None


@dataclass(frozen=True)
class Ping(Probe[PingResult]):
    """``ping -c COUNT -W WAIT [-I IFACE] ADDRESS`` (optionally inside ``netns``): a
    FUNCTIONAL probe. It sends ``count`` echo requests inside the lab network and changes no
    configuration. Returns a :class:`PingResult`."""

    name: ClassVar[str] = "net.ping"
    address: str
    interface: str = ""
    netns: str = ""
    count: int = 2
    wait: int = 1

    @property
    def timeout(self) -> float:  # type: ignore[override]
        return float(self.count * (self.wait + 1) + 5)

    def command(self) -> str:
        ns = ""
        if self.netns:
            if not _NS.match(self.netns):
                raise ProbeError(f"not a network namespace name: {self.netns!r}")
            ns = f"ip netns exec {q(self.netns)} "
        iface = f" -I {q(self.interface)}" if self.interface else ""
        return (f"{ns}ping -n -q -c {int(self.count)} -i 0.2 -W {int(self.wait)}{iface} "
                f"-- {q(self.address)}")

    def parse(self, result: CommandResult) -> PingResult:
        if result.exit_code == 127:
            raise ProbeError("ping is not installed on the lab host")
        match = _PING_SUMMARY.search(result.stdout)
        if match:
            sent, got = int(match.group(1)), int(match.group(2))
            return PingResult(reachable=got > 0, transmitted=sent, received=got, error=None)
        text = (result.stderr.strip() or result.stdout.strip()).splitlines()
        reason = text[-1] if text else f"exit code {result.exit_code}"
        if result.exit_code == 2 or "ping:" in reason or "Cannot open network namespace" in reason:
            return PingResult(reachable=False, transmitted=0, received=0, error=reason)
        raise ProbeError(f"ping printed no summary: {reason}")
