"""Open vSwitch bridges, ports and interfaces, read from its database with ``ovs-vsctl``.

``ovs-vsctl --format=json`` prints one ``{"headings": [...], "data": [[...], ...]}`` document
per command, and encodes OVSDB values as ``["uuid", U]``, ``["set", [v, ...]]`` and
``["map", [[k, v], ...]]`` (a set of one element is printed as the bare element, an empty
optional value as ``["set", []]``). :func:`decode` turns every one of those into plain data.
The OVS database survives reboots by itself: what this probe reads is also the persistent
configuration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

BRIDGE_COLUMNS = "_uuid,name,ports"
PORT_COLUMNS = "_uuid,name,tag,trunks,vlan_mode,interfaces"
INTERFACE_COLUMNS = "_uuid,name,type,ofport,options,error"


def decode(value: Any) -> Any:
    """One OVSDB JSON value as plain data: a uuid as its string, a set as a list (``[]`` for
    an empty one), a map as a dict; atoms as they are. Raises ProbeError on anything else."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        tag, body = value
        if tag in ("uuid", "named-uuid") and isinstance(body, str):
            return body
        if tag == "set" and isinstance(body, list):
            return [decode(v) for v in body]
        if tag == "map" and isinstance(body, list):
            out = {}
            for pair in body:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise ProbeError("ovs-vsctl printed a malformed map")
                out[str(decode(pair[0]))] = decode(pair[1])
            return out
    raise ProbeError(f"ovs-vsctl printed an unexpected value: {str(value)[:60]}")


def as_list(value: Any) -> list[Any]:
    """A decoded column that is a set: a bare element (a set of one) becomes ``[element]``."""
    return value if isinstance(value, list) else [value]


def optional(value: Any) -> Any:
    """A decoded optional column (``[]`` when empty): the value, or None."""
    return None if value == [] else value


def tables(text: str) -> list[list[dict[str, Any]]]:
    """Every JSON document in ``text`` as a list of rows ``{heading: decoded value}``."""
    decoder = json.JSONDecoder()
    out, pos, text = [], 0, text.strip()
    while pos < len(text):
        try:
            doc, end = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            raise ProbeError("ovs-vsctl printed something that is not JSON") from None
        if not (isinstance(doc, dict) and isinstance(doc.get("headings"), list)
                and isinstance(doc.get("data"), list)):
            raise ProbeError("ovs-vsctl printed an unexpected JSON shape")
        heads = doc["headings"]
        rows = []
        for row in doc["data"]:
            if not isinstance(row, list) or len(row) != len(heads):
                raise ProbeError("ovs-vsctl printed a row that does not match its headings")
            rows.append({str(h): decode(v) for h, v in zip(heads, row, strict=True)})
        out.append(rows)
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class OvsInterfaceInfo(TypedDict):
    name: str
    type: str
    ofport: Any
    error: Any


class OvsPortInfo(TypedDict):
    """A port: its VLAN ``tag`` (an access port), ``trunks`` and its interfaces."""

    tag: int | None
    trunks: list[int]
    vlan_mode: Any
    interfaces: list[OvsInterfaceInfo]


class OvsBridgeInfo(TypedDict):
    ports: dict[str, OvsPortInfo]


class OvsInfo(TypedDict, total=False):
    """``ovs.state``: ``state`` and, when ``ok``, the ``bridges`` by name."""

    state: Required[Literal["ok", "not-running", "not-installed"]]
    bridges: dict[str, OvsBridgeInfo]


@dataclass(frozen=True)
class OvsState(Probe[OvsInfo]):
    """The Open vSwitch bridges, their ports (VLAN ``tag``, ``trunks``, ``vlan_mode``) and the
    interfaces of each port (``type``: ``""`` for a system device, ``internal``, ``patch``…).

    Returns ``{"state": "ok", "bridges": {bridge: {"ports": {port: {"tag": int|None,
    "trunks": [int], "vlan_mode": str|None, "interfaces": [{"name", "type", "ofport",
    "error"}]}}}}}``; ``{"state": "not-running"}`` when ovsdb-server does not answer, or
    ``{"state": "not-installed"}``.
    """

    name: ClassVar[str] = "ovs.state"

    def command(self) -> str:
        return ("ovs-vsctl --timeout=5 --format=json"
                f" -- --columns={BRIDGE_COLUMNS} list Bridge"
                f" -- --columns={PORT_COLUMNS} list Port"
                f" -- --columns={INTERFACE_COLUMNS} list Interface")

    def parse(self, result: CommandResult) -> OvsInfo:
        if result.exit_code == 127:
            return {"state": "not-installed"}
        if not result.ok:
            if "database connection failed" in result.stderr or "db.sock" in result.stderr:
                return {"state": "not-running"}
            raise ProbeError(f"ovs-vsctl failed: {result.tail(1)}")
        found = tables(result.stdout)
        if len(found) != 3:
            raise ProbeError(f"ovs-vsctl printed {len(found)} tables, not 3")
        bridges, ports, interfaces = found
        try:
            iface_by_uuid: dict[Any, OvsInterfaceInfo] = {
                i["_uuid"]: {"name": str(i["name"]), "type": str(i["type"]),
                             "ofport": optional(i["ofport"]),
                             "error": optional(i["error"])}
                for i in interfaces}
            port_by_uuid: dict[Any, tuple[str, OvsPortInfo]] = {}
            for p in ports:
                tag = optional(p["tag"])
                port_by_uuid[p["_uuid"]] = (str(p["name"]), {
                    "tag": tag if isinstance(tag, int) else None,
                    "trunks": sorted(int(t) for t in as_list(p["trunks"])),
                    "vlan_mode": optional(p["vlan_mode"]),
                    "interfaces": [iface_by_uuid[u] for u in as_list(p["interfaces"])
                                   if u in iface_by_uuid],
                })
            out: dict[str, OvsBridgeInfo] = {}
            for b in bridges:
                members = [port_by_uuid[u] for u in as_list(b["ports"]) if u in port_by_uuid]
                out[str(b["name"])] = {"ports": dict(sorted(members))}
        except (KeyError, TypeError, ValueError) as exc:
            raise ProbeError(f"ovs-vsctl printed an unexpected table ({exc})") from None
        return {"state": "ok", "bridges": out}
