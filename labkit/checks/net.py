"""Check kinds about network devices: TAP/TUN, veth, macvtap, VLAN subinterfaces, Linux
bridges (and VLAN-aware ones), addresses, routes, reachability (ping) and the configuration
that survives a reboot.

``net.reach`` is functional: its probe sends a couple of pings inside the lab network (and
changes no configuration). ``role:`` on the check chooses the host that pings.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import model_validator

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.base import Probe
from labkit.probes.net import BridgeVlan, IpAddr, IpLink, IpRoute, LinkInfo, Ping
from labkit.probes.net_persist import NetPersist

#: What a student calls a device -> (iproute2 info_kind, tun type)
KINDS = {"tap": ("tun", "tap"), "tun": ("tun", "tun"), "veth": ("veth", None),
         "bridge": ("bridge", None), "vlan": ("vlan", None), "macvtap": ("macvtap", None),
         "macvlan": ("macvlan", None), "dummy": ("dummy", None),
         "openvswitch": ("openvswitch", None)}
DeviceKind = Literal["tap", "tun", "veth", "bridge", "vlan", "macvtap", "macvlan", "dummy",
                     "openvswitch"]


def kind_name(link: LinkInfo) -> str:
    """The student's name for a device's kind (``tap``/``tun`` for tun devices)."""
    kind = link.get("kind")
    if kind == "tun":
        return str(link.get("mode") or "tun")
    return str(kind) if kind else "ethernet"


class DeviceArgs(Args):
    device: str
    netns: str = ""


D = TypeVar("D", bound=DeviceArgs)


class _LinkKind(CheckKind[D]):
    """A kind that judges one device of ``ip link`` (in ``netns``): it must exist."""

    def probe(self, args: D) -> IpLink:
        return IpLink(args.netns)

    def evaluate(self, args: D, facts: Facts) -> Verdict:
        links = facts[self.probe(args)]
        link = links.get(args.device)
        if link is None:
            return Verdict(False, "net.device_missing", {"device": args.device})
        return self.judge(args, link, links)

    @abc.abstractmethod
    def judge(self, args: D, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        """Judge the device ``link`` (``links``: every device of its namespace)."""


def _on_parent(link: LinkInfo, kind: str, parent: str, values: dict[str, Any]
               ) -> Verdict | None:
    """Why ``link`` is not a ``kind`` device on ``parent`` (None: it is)."""
    if link["kind"] != kind:
        return Verdict(False, "net.kind_wrong", {**values, "found": kind_name(link)})
    if link["parent"] != parent:
        return Verdict(False, "net.parent_wrong", values)
    return None


class DeviceKindArgs(DeviceArgs):
    kind: DeviceKind | None = None
    up: bool | None = None


class Device(_LinkKind[DeviceKindArgs]):
    """The device exists, is of ``kind`` (``tap`` and ``tun`` are told apart) and, if
    ``up`` is given, is administratively up (or down)."""

    name: ClassVar[str] = "net.device"
    Args = DeviceKindArgs

    def judge(self, args: DeviceKindArgs, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        values = {"device": args.device, "kind": args.kind or kind_name(link),
                  "found": kind_name(link)}
        if args.kind is not None:
            want_kind, want_mode = KINDS[args.kind]
            if link["kind"] != want_kind or (want_mode and link["mode"] != want_mode):
                return Verdict(False, "net.kind_wrong", values)
        if args.up is True and not link["up"]:
            return Verdict(False, "net.device_down", values)
        if args.up is False and link["up"]:
            return Verdict(False, "net.device_up_wrong", values)
        return Verdict(True, "net.device_up_ok" if args.up else "net.device_ok", values)


class MacvtapArgs(DeviceArgs):
    parent: str
    mode: Literal["vepa", "bridge", "private", "passthru"]


class Macvtap(_LinkKind[MacvtapArgs]):
    """A macvtap device on ``parent`` in ``mode`` (vepa, bridge or private)."""

    name: ClassVar[str] = "net.macvtap"
    Args = MacvtapArgs

    def judge(self, args: MacvtapArgs, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        values = {"device": args.device, "parent": args.parent, "mode": args.mode,
                  "found": link["mode"] or "?", "kind": "macvtap", "found_parent":
                  link["parent"] or "?"}
        if wrong := _on_parent(link, "macvtap", args.parent, values):
            return wrong
        if link["mode"] != args.mode:
            return Verdict(False, "net.macvtap_mode_wrong", values)
        return Verdict(True, "net.macvtap_ok", values)


class VethArgs(DeviceArgs):
    peer: str


class Veth(_LinkKind[VethArgs]):
    """``device`` and ``peer`` are the two ends of one veth pair."""

    name: ClassVar[str] = "net.veth"
    Args = VethArgs

    def judge(self, args: VethArgs, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        values = {"device": args.device, "peer": args.peer, "kind": "veth",
                  "found": link["parent"] or "?"}
        if link["kind"] != "veth":
            return Verdict(False, "net.kind_wrong", {**values, "found": kind_name(link)})
        if link["parent"] != args.peer:
            return Verdict(False, "net.veth_peer_wrong", values)
        return Verdict(True, "net.veth_ok", values)


class VlanArgs(DeviceArgs):
    parent: str
    id: int


class Vlan(_LinkKind[VlanArgs]):
    """An 802.1Q subinterface of ``parent`` with VLAN ``id``."""

    name: ClassVar[str] = "net.vlan"
    Args = VlanArgs

    def judge(self, args: VlanArgs, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        vlan: dict[str, Any] = dict(link["vlan"] or {})
        values = {"device": args.device, "parent": args.parent, "id": args.id, "kind": "vlan",
                  "found": vlan.get("id", "?"), "found_parent": link["parent"] or "?"}
        if wrong := _on_parent(link, "vlan", args.parent, values):
            return wrong
        if vlan.get("id") != args.id:
            return Verdict(False, "net.vlan_id_wrong", values)
        return Verdict(True, "net.vlan_ok", values)


class MasterArgs(DeviceArgs):
    master: str


class Master(_LinkKind[MasterArgs]):
    """``device`` is a port of the Linux bridge ``master``."""

    name: ClassVar[str] = "net.master"
    Args = MasterArgs

    def judge(self, args: MasterArgs, link: LinkInfo,
              links: dict[str, LinkInfo]) -> Verdict:
        values = {"device": args.device, "master": args.master, "found": link["master"] or ""}
        bridge = links.get(args.master)
        if bridge is None:
            return Verdict(False, "net.device_missing", {"device": args.master})
        if link["master"] is None:
            return Verdict(False, "net.master_none", values)
        if link["master"] == "ovs-system":
            return Verdict(False, "net.master_ovs", values)
        if link["master"] != args.master:
            return Verdict(False, "net.master_wrong", values)
        return Verdict(True, "net.master_ok", values)


class AddressArgs(DeviceArgs):
    address: str


class Address(CheckKind[AddressArgs]):
    """``device`` has the address ``address`` (with its prefix, e.g. ``10.0.10.1/24``)."""

    name: ClassVar[str] = "net.address"
    Args = AddressArgs

    def probe(self, args: AddressArgs) -> IpAddr:
        return IpAddr(args.netns)

    def evaluate(self, args: AddressArgs, facts: Facts) -> Verdict:
        addrs = facts[self.probe(args)]
        values = {"device": args.device, "address": args.address}
        if args.device not in addrs:
            return Verdict(False, "net.device_missing", values)
        if args.address in addrs[args.device]:
            return Verdict(True, "net.address_ok", values)
        ip = args.address.split("/")[0]
        same_ip = [a for a in addrs[args.device] if a.split("/")[0] == ip]
        if same_ip:
            return Verdict(False, "net.address_prefix_wrong", {**values, "found": same_ip[0]})
        elsewhere = [d for d, found in addrs.items()
                     if d != args.device and any(a.split("/")[0] == ip for a in found)]
        if elsewhere:
            return Verdict(False, "net.address_elsewhere", {**values, "found": elsewhere[0]})
        return Verdict(False, "net.address_missing", values)


class RouteArgs(Args):
    dst: str
    gateway: str | None = None
    dev: str | None = None
    netns: str = ""


class Route(CheckKind[RouteArgs]):
    """A route to ``dst`` (``default`` or a prefix) through ``gateway`` and/or ``dev``."""

    name: ClassVar[str] = "net.route"
    Args = RouteArgs

    def probe(self, args: RouteArgs) -> IpRoute:
        return IpRoute(args.netns)

    def evaluate(self, args: RouteArgs, facts: Facts) -> Verdict:
        routes = [r for r in facts[self.probe(args)] if r["dst"] == args.dst]
        via = args.gateway or args.dev or "?"
        values = {"dst": args.dst, "via": via}
        if not routes:
            return Verdict(False, "net.route_missing", values)
        for route in routes:
            if (args.gateway is None or route["gateway"] == args.gateway) and \
                    (args.dev is None or route["dev"] == args.dev):
                return Verdict(True, "net.route_ok", values)
        found = routes[0]["gateway"] or routes[0]["dev"] or "?"
        return Verdict(False, "net.route_wrong", {**values, "found": found})


class BridgeVlanArgs(Args):
    bridge: str
    port: str
    vid: int
    untagged: bool = False   # an access port: pvid + egress untagged
    netns: str = ""


class BridgeVlanPort(CheckKind[BridgeVlanArgs]):
    """On the VLAN-aware bridge ``bridge``, ``port`` carries VLAN ``vid``: tagged (a trunk)
    or, with ``untagged: true``, as its untagged VLAN (an access port: PVID + untagged)."""

    name: ClassVar[str] = "net.bridge_vlan"
    Args = BridgeVlanArgs

    def probe(self, args: BridgeVlanArgs) -> IpLink:
        return IpLink(args.netns)

    def vlans(self, args: BridgeVlanArgs) -> BridgeVlan:
        return BridgeVlan(args.netns)

    def probes(self, args: BridgeVlanArgs) -> list[Probe[Any]]:
        return [self.probe(args), self.vlans(args)]

    def evaluate(self, args: BridgeVlanArgs, facts: Facts) -> Verdict:
        links = facts[self.probe(args)]
        values = {"bridge": args.bridge, "port": args.port, "vid": args.vid}
        bridge = links.get(args.bridge)
        if bridge is None or bridge["kind"] != "bridge":
            return Verdict(False, "net.device_missing", {"device": args.bridge})
        if bridge["bridge"] is None or not bridge["bridge"]["vlan_filtering"]:
            return Verdict(False, "net.vlan_filtering_off", values)
        port = links.get(args.port)
        if port is None:
            return Verdict(False, "net.device_missing", {"device": args.port})
        if port["master"] != args.bridge:
            return Verdict(False, "net.master_wrong",
                           {"device": args.port, "master": args.bridge,
                            "found": port["master"] or "-"})
        vlans = {v["vid"]: v for v in facts[self.vlans(args)].get(args.port, [])}
        found = ", ".join(f"{v['vid']}{' PVID' if v['pvid'] else ''}"
                          f"{' untagged' if v['untagged'] else ''}"
                          for v in vlans.values()) or "-"
        entry = vlans.get(args.vid)
        values["found"] = found
        if entry is None:
            return Verdict(False, "net.bridge_vlan_missing", values)
        if args.untagged and not (entry["pvid"] and entry["untagged"]):
            return Verdict(False, "net.bridge_vlan_not_access", values)
        if not args.untagged and entry["untagged"]:
            return Verdict(False, "net.bridge_vlan_not_tagged", values)
        return Verdict(True, "net.bridge_vlan_access_ok" if args.untagged
                       else "net.bridge_vlan_tagged_ok", values)


class Peer(Args):
    """Where the address an isolation check pings must live: a network namespace (``netns``)
    on the host of ``role`` (default: the check's own host)."""

    role: str | None = None
    netns: str = ""

    @model_validator(mode="after")
    def _somewhere(self) -> Peer:
        if self.role is None and not self.netns:
            raise ValueError("peer needs a role or a netns (where the isolated address lives)")
        return self

    @property
    def label(self) -> str:
        return self.netns or str(self.role)


class ReachArgs(Args):
    address: str
    interface: str = ""
    netns: str = ""
    expect: Literal["reachable", "unreachable"] = "reachable"
    count: int = 2
    wait: int = 1
    #: for ``expect: unreachable``: where ``address`` must exist, so that isolation means
    #: something (no ping answers from an address nobody has)
    peer: Peer | None = None

    @model_validator(mode="after")
    def _isolation_has_a_peer(self) -> ReachArgs:
        if self.expect == "unreachable" and self.peer is None:
            raise ValueError("expect: unreachable needs peer: {netns: …} or {role: …} "
                             "(where the isolated address must exist)")
        return self


class Reach(CheckKind[ReachArgs]):
    """FUNCTIONAL: from the check's role's host (inside ``netns`` if given), ``ping`` reaches
    ``address`` — or, with ``expect: unreachable``, does not (isolation, e.g. another VLAN).
    It sends ``count`` packets inside the lab network and changes no configuration.

    Isolation is only shown when there is something to isolate: ping must run (a missing
    namespace or no route at all is a failure, not isolation) and ``address`` must be on a
    device of the ``peer`` (its namespace, on its role's host)."""

    name: ClassVar[str] = "net.reach"
    Args = ReachArgs

    def probe(self, args: ReachArgs) -> Ping:
        return Ping(args.address, args.interface, args.netns, args.count, args.wait)

    def probes_by_role(self, args: ReachArgs, role: str) -> dict[str, list[Probe[Any]]]:
        by_role: dict[str, list[Probe[Any]]] = {role: [self.probe(args)]}
        if args.peer is not None:
            by_role.setdefault(args.peer.role or role, []).append(IpAddr(args.peer.netns))
        return by_role

    def evaluate(self, args: ReachArgs, facts: Facts) -> Verdict:
        ping = facts[self.probe(args)]
        where = args.netns or args.interface
        values = {"address": args.address, "received": ping.received,
                  "sent": ping.transmitted, "reason": ping.error or ""}
        suffix = "_from" if where else ""
        if where:
            values["where"] = where
        if args.expect == "reachable":
            if ping.reachable:
                return Verdict(True, "net.reach_ok" + suffix, values)
            if ping.error:
                return Verdict(False, "net.reach_error" + suffix, values)
            return Verdict(False, "net.reach_failed" + suffix, values)
        if ping.reachable:
            return Verdict(False, "net.isolated_failed" + suffix, values)
        if ping.error:
            return Verdict(False, "net.isolated_error" + suffix, values)
        peer = args.peer
        if peer is None:  # ReachArgs refuses it; never count an unknown peer as isolated
            return Verdict(False, "net.isolated_no_peer", {**values, "peer": "?"})
        peer_facts = facts.on(peer.role) if peer.role else facts
        ip = args.address.split("/")[0]
        if not any(a.split("/")[0] == ip
                   for found in peer_facts[IpAddr(peer.netns)].values() for a in found):
            return Verdict(False, "net.isolated_no_peer", {**values, "peer": peer.label})
        return Verdict(True, "net.isolated_ok" + suffix, values)


class PersistArgs(Args):
    device: str
    kind: str | None = None
    vlan_id: int | None = None
    parent: str | None = None
    master: str | None = None
    address: str | None = None


class Persistent(CheckKind[PersistArgs]):
    """The device is in the configuration read at boot (systemd-networkd's
    /etc/systemd/network or ifupdown's /etc/network/interfaces[.d]) with the given details:
    the live state alone is lost on a reboot."""

    name: ClassVar[str] = "net.persistent"
    Args = PersistArgs

    def probe(self, args: PersistArgs) -> NetPersist:
        return NetPersist()

    def evaluate(self, args: PersistArgs, facts: Facts) -> Verdict:
        devices = facts[self.probe(args)]["devices"]
        dev = devices.get(args.device)
        values: dict[str, Any] = {"device": args.device}
        if dev is None:
            return Verdict(False, "net.persist_missing", values)
        wanted = {"kind": args.kind, "vlan_id": args.vlan_id, "parent": args.parent,
                  "master": args.master}
        for field, want in wanted.items():
            if want is not None and dev.get(field) != want:
                return Verdict(False, "net.persist_wrong",
                               {**values, "field": field, "want": want,
                                "found": dev.get(field) if dev.get(field) is not None else "-"})
        if args.address is not None and args.address not in dev["addresses"]:
            return Verdict(False, "net.persist_wrong",
                           {**values, "field": "address", "want": args.address,
                            "found": ", ".join(dev["addresses"]) or "-"})
        return Verdict(True, "net.persist_ok",
                       {**values, "source": ", ".join(dev["sources"])})
