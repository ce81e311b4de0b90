"""Network devices read with iproute2: links (with details), addresses, routes, bridge ports
and bridge VLANs; the persistent network configuration; and ``ping`` as a functional probe.

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


class PersistDevice(TypedDict):
    """A device in the configuration read at boot, and the files that describe it."""

    kind: str | None
    vlan_id: int | None
    parent: str | None
    master: str | None
    addresses: list[str]
    sources: list[str]


class PersistInfo(TypedDict):
    files: list[str]
    devices: dict[str, PersistDevice]


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


# -- persistent configuration ---------------------------------------------------------------
NETWORKD_DIR = "/etc/systemd/network"
IFUPDOWN = "/etc/network/interfaces"
_MARK = "==> "
_PERSIST_CMD = (
    f"for f in {NETWORKD_DIR}/*.netdev {NETWORKD_DIR}/*.network {NETWORKD_DIR}/*.d/*.conf "
    f"{IFUPDOWN} {IFUPDOWN}.d/*; do "
    f"[ -f \"$f\" ] && {{ printf '\\n{_MARK}%s <==\\n' \"$f\"; cat -- \"$f\"; }}; done; true"
)


def _split_files(text: str) -> dict[str, str]:
    files: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith(_MARK) and line.endswith(" <=="):
            current = line[len(_MARK):-4]
            files[current] = ""
        elif current is not None:
            files[current] += line + "\n"
    return files


def _ini(text: str) -> list[tuple[str, str, str]]:
    """systemd unit-file syntax: (section, key, value) in order."""
    out, section = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif "=" in line:
            key, value = line.split("=", 1)
            out.append((section, key.strip(), value.strip()))
    return out


def _device(devices: dict[str, PersistDevice], name: str, source: str) -> PersistDevice:
    dev = devices.setdefault(name, {"kind": None, "vlan_id": None, "parent": None,
                                    "master": None, "addresses": [], "sources": []})
    if source not in dev["sources"]:
        dev["sources"].append(source)
    return dev


def parse_networkd(files: dict[str, str], devices: dict[str, PersistDevice]) -> None:
    """Fold systemd-networkd ``.netdev``/``.network`` files (+ drop-ins) into ``devices``."""
    network_names: dict[str, list[str]] = {}   # file stem -> matched names
    for path in sorted(files, key=lambda p: p.rsplit("/", 1)[-1]):
        if path.endswith(".netdev"):
            entries = _ini(files[path])
            name = next((v for s, k, v in entries if s == "NetDev" and k == "Name"), None)
            if not name:
                continue
            dev = _device(devices, name, path)
            dev["kind"] = next((v for s, k, v in entries if s == "NetDev" and k == "Kind"),
                               dev["kind"])
            for s, k, v in entries:
                if s == "VLAN" and k == "Id" and v.isdigit():
                    dev["vlan_id"] = int(v)
        elif path.endswith(".network"):
            names = [n for s, k, v in _ini(files[path]) if s == "Match" and k == "Name"
                     for n in v.split()]
            network_names[path.rsplit("/", 1)[-1]] = names
    for path in sorted(files):
        base = path.rsplit("/", 1)[-1]
        if path.endswith(".network"):
            names, entries = network_names.get(base, []), _ini(files[path])
        elif path.endswith(".conf") and path.rsplit("/", 2)[-2].endswith(".network.d"):
            names = network_names.get(path.rsplit("/", 2)[-2][:-2], [])
            entries = _ini(files[path])
        else:
            continue
        for name in names:
            if any(c in name for c in "*?["):
                continue
            dev = _device(devices, name, path)
            for s, k, v in entries:
                if s in ("Network", "Address") and k == "Address" and v:
                    dev["addresses"].append(v)
                elif s == "Network" and k == "Bridge" and v:
                    dev["master"] = v
                elif s == "Network" and k in ("VLAN", "MACVTAP", "MACVLAN") and v:
                    for child in v.split():
                        _device(devices, child, path)["parent"] = name


def parse_ifupdown(text: str, source: str, devices: dict[str, PersistDevice]) -> None:
    """Fold one ifupdown ``interfaces`` file into ``devices`` (bridge_ports, vlan-raw-device,
    NAME.VID VLANs, address/netmask)."""
    current: PersistDevice | None = None
    current_name = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if words[0] == "iface" and len(words) >= 2:
            name = current_name = words[1]
            current = _device(devices, name, source)
            vlan = re.match(r"^(.+)\.(\d{1,4})$", name)
            if vlan:
                current["kind"], current["parent"] = "vlan", vlan.group(1)
                current["vlan_id"] = int(vlan.group(2))
            continue
        if words[0] in ("auto", "allow-hotplug", "source", "source-directory", "mapping"):
            if words[0] != "auto":
                current = None
            continue
        if current is None or len(words) < 2:
            continue
        key, values = words[0].replace("-", "_"), words[1:]
        if key == "address":
            current["addresses"].append(values[0])
        elif key == "netmask" and current["addresses"] and "/" not in current["addresses"][-1]:
            current["addresses"][-1] += "/" + _netmask_bits(values[0])
        elif key == "bridge_ports":
            current["kind"] = "bridge"
            for port in values:
                if port != "none":
                    _device(devices, port, source)["master"] = current_name
        elif key in ("vlan_raw_device", "vlan_dev"):
            current["kind"], current["parent"] = "vlan", values[0]
        elif key == "vlan_id" and values[0].isdigit():
            current["vlan_id"] = int(values[0])
        elif key == "ovs_type":
            current["kind"] = "openvswitch"


def _netmask_bits(mask: str) -> str:
    if mask.isdigit():
        return mask
    try:
        return str(sum(bin(int(part)).count("1") for part in mask.split(".")))
    except ValueError:
        return mask


@dataclass(frozen=True)
class NetPersist(Probe[PersistInfo]):
    """The network configuration that survives a reboot: systemd-networkd files in
    /etc/systemd/network (``.netdev``, ``.network`` and their ``.d/*.conf`` drop-ins) and
    ifupdown's /etc/network/interfaces(.d). Returns ``{"files": [paths], "devices": {name:
    {"kind", "vlan_id", "parent", "master", "addresses", "sources"}}}``."""

    name: ClassVar[str] = "net.persist"

    def command(self) -> str:
        return _PERSIST_CMD

    def parse(self, result: CommandResult) -> PersistInfo:
        if not result.ok:
            raise ProbeError(f"reading the network files failed: {result.tail(1)}")
        files = _split_files(result.stdout)
        devices: dict[str, PersistDevice] = {}
        parse_networkd({p: t for p, t in files.items() if p.startswith(NETWORKD_DIR)}, devices)
        for path in sorted(files):
            if path.startswith(IFUPDOWN):
                parse_ifupdown(files[path], path, devices)
        return {"files": sorted(files), "devices": devices}
