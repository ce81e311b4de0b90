"""The live network topology of the lab hosts, drawn as SVG: devices, bridges and Open vSwitch
switches, their ports, VLAN tags, veth pairs, VLAN/macvtap parents, and who reaches whom.

The data are the values of the network probes (``ip.link``, ``ip.addr``, ``ovs.state``,
``bridge.vlan``; ``net.ping`` for reachability), read through ``Host.collect``; the pure
functions ``build_topology`` and ``topology_svg`` are tested with values parsed from real
outputs::

    topo = build_topology({"b": {"links": …, "addrs": …, "ovs": …, "bridge_vlan": …}})
    svg = topology_svg(topo, "en")

``NetTopology`` (ipywidgets, imported on first use) reads the hosts and redraws on a button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labkit.i18n import text
from labkit.widgets.html import FONT, esc, host_line, message
from labkit.widgets.view import View

#: Devices never drawn (loopback, the OVS datapath device).
HIDDEN = {"lo", "ovs-system"}
KIND_COLOURS = {"bridge": "#1e88e5", "ovs": "#6a1b9a", "vlan": "#ef6c00", "veth": "#2e7d32",
                "tap": "#00838f", "tun": "#00838f", "macvtap": "#ad1457", "nic": "#455a64",
                "other": "#546e7a"}



@dataclass
class Node:
    host: str
    name: str
    kind: str                   # bridge, ovs, vlan, veth, tap, tun, macvtap, nic, other
    up: bool = True
    addresses: list[str] = field(default_factory=list)
    detail: str = ""            # "VLAN 10", "mode bridge", "vlan_filtering"…

    @property
    def id(self) -> str:
        return f"{self.host}/{self.name}"

    @property
    def layer(self) -> int:
        """0: switches; 1: devices on a switch or on their own; 2: physical cards."""
        return 0 if self.kind in ("bridge", "ovs") else 2 if self.kind == "nic" else 1


@dataclass(frozen=True)
class Edge:
    a: str                      # node ids
    b: str
    kind: str                   # port, veth, lower
    label: str = ""


@dataclass
class Topology:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    reach: list[tuple[str, str, bool]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    uplink: str = "eth1"


def _kind(link: dict[str, Any]) -> str:
    kind = link.get("kind")
    if kind == "tun":
        return str(link.get("mode") or "tun")
    if kind is None:
        return "nic"
    if kind == "openvswitch":
        return "ovs"
    return kind if kind in KIND_COLOURS else "other"


def build_topology(facts: dict[str, dict[str, Any]], *, uplink: str = "eth1",
                   reach: list[tuple[str, str, bool]] | None = None,
                   errors: dict[str, str] | None = None) -> Topology:
    """The topology of each host from its probe values: ``{host: {"links": IpLink value,
    "addrs": IpAddr value, "ovs": OvsState value or None, "bridge_vlan": BridgeVlan value or
    None}}``. ``reach``: (from, to, answered) from pings."""
    topo = Topology(hosts=list(facts), reach=list(reach or []), errors=dict(errors or {}),
                    uplink=uplink)
    for host, values in facts.items():
        links: dict[str, Any] = values.get("links") or {}
        addrs: dict[str, list[str]] = values.get("addrs") or {}
        ovs = values.get("ovs") or {}
        ovs_bridges = ovs.get("bridges", {}) if ovs.get("state") == "ok" else {}
        bridge_vlan = values.get("bridge_vlan") or {}
        for name, link in sorted(links.items(), key=lambda kv: kv[1].get("ifindex") or 0):
            if name in HIDDEN:
                continue
            kind = "ovs" if name in ovs_bridges else _kind(link)
            detail = ""
            if link.get("vlan"):
                detail = f"VLAN {link['vlan'].get('id')}"
            elif kind == "macvtap" and link.get("mode"):
                detail = f"mode {link['mode']}"
            elif kind == "bridge" and (link.get("bridge") or {}).get("vlan_filtering"):
                detail = "vlan_filtering"
            elif kind == "veth" and link.get("parent_netns"):
                detail = "veth → netns"
            v4 = [a for a in addrs.get(name, []) if ":" not in a]
            topo.nodes[f"{host}/{name}"] = Node(host, name, kind, bool(link.get("up")), v4,
                                                detail)
        for bridge, data in ovs_bridges.items():
            node_id = f"{host}/{bridge}"
            if node_id not in topo.nodes:
                topo.nodes[node_id] = Node(host, bridge, "ovs")
            for port, info in data.get("ports", {}).items():
                if port == bridge:
                    continue
                if f"{host}/{port}" not in topo.nodes:
                    topo.nodes[f"{host}/{port}"] = Node(host, port, "other")
                label = f"tag {info['tag']}" if info.get("tag") is not None else (
                    "trunk " + ",".join(map(str, info.get("trunks") or [])) if info.get("trunks")
                    else "")
                topo.edges.append(Edge(f"{host}/{port}", node_id, "port", label))
        seen_veth: set[frozenset[str]] = set()
        for name, link in links.items():
            if name in HIDDEN:
                continue
            me = f"{host}/{name}"
            master = link.get("master")
            if master and master != "ovs-system" and f"{host}/{master}" in topo.nodes:
                vlans = bridge_vlan.get(name, [])
                label = ""
                if (links.get(master, {}).get("bridge") or {}).get("vlan_filtering") and vlans:
                    label = " ".join(f"{v['vid']}{'u' if v['untagged'] else 't'}"
                                     for v in vlans)
                topo.edges.append(Edge(me, f"{host}/{master}", "port", label))
            parent = link.get("parent")
            if parent and f"{host}/{parent}" in topo.nodes:
                if link.get("kind") == "veth":
                    pair = frozenset((name, parent))
                    if pair not in seen_veth:
                        seen_veth.add(pair)
                        topo.edges.append(Edge(me, f"{host}/{parent}", "veth"))
                else:
                    topo.edges.append(Edge(me, f"{host}/{parent}", "lower",
                                           topo.nodes[me].detail))
    return topo


# -- SVG --------------------------------------------------------------------------------------
BOX_W, BOX_H, GAP, ROW_H, PAD = 104, 40, 14, 92, 16


def _layout(topo: Topology) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]],
                                     float, float]:
    """Node centres, each host's (x, width), and the drawing's size."""
    pos: dict[str, tuple[float, float]] = {}
    columns: dict[str, tuple[float, float]] = {}
    x0 = PAD
    for host in topo.hosts:
        rows: dict[int, list[Node]] = {0: [], 1: [], 2: []}
        for node in topo.nodes.values():
            if node.host == host:
                rows[node.layer].append(node)
        widest = max([len(r) for r in rows.values()] + [1])
        width = widest * (BOX_W + GAP) + GAP
        for layer, nodes in rows.items():
            span = len(nodes) * (BOX_W + GAP) - GAP
            start = x0 + (width - span) / 2
            for i, node in enumerate(nodes):
                pos[node.id] = (start + i * (BOX_W + GAP) + BOX_W / 2,
                                PAD + 30 + layer * ROW_H + BOX_H / 2)
        columns[host] = (x0, width)
        x0 += width + PAD
    height = PAD + 30 + 3 * ROW_H + (60 if len(topo.hosts) > 1 else 0)
    return pos, columns, x0, height


def topology_svg(topo: Topology, lang: str) -> str:
    """An SVG drawing of ``topo`` (every name escaped)."""
    pos, columns, width, height = _layout(topo)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="11">']
    for host, (x, w) in columns.items():
        out.append(f'<rect x="{x:.0f}" y="{PAD}" width="{w:.0f}" height="{3 * ROW_H + 20:.0f}" '
                   f'rx="8" fill="#fafafa" stroke="#b0bec5"/>'
                   f'<text x="{x + 8:.0f}" y="{PAD + 16}" font-weight="bold" font-size="13">'
                   f'{esc(host)}</text>')
    if len(topo.hosts) > 1:
        y = height - 30
        out.append(f'<line x1="{PAD}" y1="{y}" x2="{width - PAD:.0f}" y2="{y}" stroke="#37474f" '
                   f'stroke-width="4"/><text x="{PAD}" y="{y + 18}">'
                   f'{esc(text("topo.lab_switch", lang))}</text>')
        for host in topo.hosts:
            uplink = pos.get(f"{host}/{topo.uplink}")
            if uplink:
                out.append(f'<line x1="{uplink[0]:.0f}" y1="{uplink[1] + BOX_H / 2:.0f}" '
                           f'x2="{uplink[0]:.0f}" y2="{y}" stroke="#37474f" stroke-width="2"/>')
    dash = {"port": "", "veth": ' stroke-dasharray="6,3"', "lower": ' stroke-dasharray="2,3"'}
    for edge in topo.edges:
        if edge.a not in pos or edge.b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[edge.a], pos[edge.b]
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                   f'stroke="#78909c" stroke-width="1.5"{dash[edge.kind]}/>')
        if edge.label:
            out.append(f'<text x="{(x1 + x2) / 2 + 3:.0f}" y="{(y1 + y2) / 2:.0f}" '
                       f'fill="#bf360c">{esc(edge.label)}</text>')
    for node_id, (cx, cy) in pos.items():
        node = topo.nodes[node_id]
        # an OVS switch's own internal port is often DOWN: the switch works all the same
        up = node.up or node.kind == "ovs"
        colour = KIND_COLOURS.get(node.kind, KIND_COLOURS["other"]) if up else "#9e9e9e"
        x, y = cx - BOX_W / 2, cy - BOX_H / 2
        sub = node.detail or node.kind
        addr = node.addresses[0] if node.addresses else ""
        out.append(f'<g><title>{esc(node.name)} ({esc(node.kind)}) '
                   f'{esc(" ".join(node.addresses))}</title>'
                   f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5" '
                   f'fill="white" stroke="{colour}" stroke-width="2"/>'
                   f'<text x="{cx:.0f}" y="{y + 13:.0f}" text-anchor="middle" font-weight="bold">'
                   f'{esc(node.name[:16])}</text>'
                   f'<text x="{cx:.0f}" y="{y + 25:.0f}" text-anchor="middle" fill="{colour}">'
                   f'{esc(sub[:18])}</text>'
                   f'<text x="{cx:.0f}" y="{y + 36:.0f}" text-anchor="middle" font-size="10">'
                   f'{esc(addr)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def reach_lines(topo: Topology, lang: str) -> list[str]:
    return [text("topo.reach_ok" if ok else "topo.reach_no", lang, src=src, dst=dst)
            for src, dst, ok in topo.reach]


def topology_summary(topo: Topology, lang: str) -> str:
    switches = sum(1 for n in topo.nodes.values() if n.kind in ("bridge", "ovs"))
    return text("topo.summary", lang, hosts=", ".join(topo.hosts) or "-",
              devices=len(topo.nodes), switches=switches)


def topology_html(topo: Topology, lang: str) -> str:
    if not topo.hosts and not topo.errors:
        return message(text("topo.empty", lang), "warning")
    parts = [f'<div style="{FONT}">']
    for host, reason in topo.errors.items():
        parts.append(message(text("topo.error", lang, host=host, reason=reason), "error"))
    if topo.hosts:
        parts.append(f'<div style="overflow-x: auto;">{topology_svg(topo, lang)}</div>')
        parts.append(f'<div style="opacity: 0.8;">{esc(text("topo.legend", lang))}</div>')
    for (_src, _dst, ok), line in zip(topo.reach, reach_lines(topo, lang), strict=True):
        parts.append(f'<div>{"✓" if ok else "✗"} {esc(line)}</div>')
    parts.append("</div>")
    return "".join(parts)


# -- reading the hosts ----------------------------------------------------------------------------
def read_topology(hosts: dict[str, Any], *, pings: dict[str, list[str]] | None = None,
                  uplink: str = "eth1") -> Topology:
    """Read every host (``{name: labkit.host.Host}``) in one round trip each; ``pings``:
    ``{host: [address, …]}`` to ping from that host (functional: sends packets only)."""
    from labkit.probes.net import BridgeVlan, IpAddr, IpLink, Ping
    from labkit.probes.ovs import OvsState

    facts: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    reach: list[tuple[str, str, bool]] = []
    for name, host in hosts.items():
        probes = {"links": IpLink(), "addrs": IpAddr(), "ovs": OvsState(),
                  "bridge_vlan": BridgeVlan()}
        ping_probes = [Ping(a) for a in (pings or {}).get(name, [])]
        try:
            outcomes = host.collect([*probes.values(), *ping_probes])
        except Exception as exc:  # a widget shows a message, never a traceback
            errors[name] = f"{type(exc).__name__}: {exc}"
            continue
        if not outcomes[probes["links"].key].ok:
            errors[name] = outcomes[probes["links"].key].error or "?"
            continue
        facts[name] = {k: outcomes[p.key].value if outcomes[p.key].ok else None
                       for k, p in probes.items()}
        for probe in ping_probes:
            outcome = outcomes[probe.key]
            reach.append((name, probe.address, bool(outcome.ok and outcome.value.reachable)))
    return build_topology(facts, uplink=uplink, reach=reach, errors=errors)


class NetTopology(View):
    """The topology of some lab hosts (``{name: Host}``), with a button to read them again."""

    def __init__(self, hosts: dict[str, Any], lang: str = "gl", *,
                 pings: dict[str, list[str]] | None = None, now: bool = True) -> None:
        import ipywidgets as w

        self.hosts, self.lang, self.pings = hosts, lang, pings
        self.topology: Topology | None = None
        self.button = w.Button(description=text("widgets.read_again", lang), icon="refresh",
                               layout=w.Layout(width="auto"))
        self.output = w.HTML()
        self.button.on_click(lambda _button: self.refresh())
        self.widget = w.VBox([self.button, self.output])
        if now:
            self.refresh()

    def refresh(self) -> Topology:
        self.topology = read_topology(self.hosts, pings=self.pings)
        self.output.value = topology_html(self.topology, self.lang) + "".join(
            message(f"{name}: {host_line(host, self.lang)}", "note")
            for name, host in self.hosts.items())
        return self.topology

    def text(self) -> str:
        if self.topology is None:
            return text("topo.empty", self.lang)
        return topology_summary(self.topology, self.lang)
