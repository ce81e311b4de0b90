"""Check kinds about Open vSwitch: bridges, and ports with their VLAN tag (access ports).

Open vSwitch keeps its configuration in its database, so these checks grade the live state
and the persistent one at once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from labkit.checks.base import Args, CheckKind, Facts, Verdict
from labkit.probes.ovs import OvsBridgeInfo, OvsInfo, OvsState


def _state(state: OvsInfo) -> tuple[dict[str, OvsBridgeInfo] | None, Verdict | None]:
    if state["state"] == "not-installed":
        return None, Verdict(False, "ovs.not_installed", {})
    if state["state"] == "not-running":
        return None, Verdict(False, "ovs.not_running", {})
    return state.get("bridges", {}), None


class BridgeArgs(Args):
    bridge: str


class OvsBridge(CheckKind[BridgeArgs]):
    """The Open vSwitch bridge ``bridge`` exists (``ovs-vsctl add-br``)."""

    name: ClassVar[str] = "ovs.bridge"
    Args = BridgeArgs

    def probe(self, args: BridgeArgs) -> OvsState:
        return OvsState()

    def evaluate(self, args: BridgeArgs, facts: Facts) -> Verdict:
        bridges, failed = _state(facts[self.probe(args)])
        if bridges is None:
            return failed  # type: ignore[return-value]
        if args.bridge not in bridges:
            return Verdict(False, "ovs.bridge_missing",
                           {"bridge": args.bridge, "found": ", ".join(bridges) or "-"})
        return Verdict(True, "ovs.bridge_ok", {"bridge": args.bridge})


class PortArgs(Args):
    bridge: str
    port: str
    tag: int | None = None
    trunks: list[int] | None = None


class OvsPort(CheckKind[PortArgs]):
    """``port`` is on the OVS bridge ``bridge`` and, if ``tag`` is given, is an access port
    of that VLAN (``ovs-vsctl add-port BR PORT tag=N``); ``trunks`` lists a trunk's VLANs."""

    name: ClassVar[str] = "ovs.port"
    Args = PortArgs

    def probe(self, args: PortArgs) -> OvsState:
        return OvsState()

    def evaluate(self, args: PortArgs, facts: Facts) -> Verdict:
        bridges, failed = _state(facts[self.probe(args)])
        if bridges is None:
            return failed  # type: ignore[return-value]
        values: dict[str, Any] = {"bridge": args.bridge, "port": args.port}
        if args.bridge not in bridges:
            return Verdict(False, "ovs.bridge_missing",
                           {"bridge": args.bridge, "found": ", ".join(bridges) or "-"})
        port = bridges[args.bridge]["ports"].get(args.port)
        if port is None:
            other = next((b for b, v in bridges.items() if args.port in v["ports"]), None)
            if other:
                return Verdict(False, "ovs.port_elsewhere", {**values, "found": other})
            return Verdict(False, "ovs.port_missing", values)
        if args.tag is not None and port["tag"] != args.tag:
            found = port["tag"] if port["tag"] is not None else "-"
            return Verdict(False, "ovs.tag_wrong", {**values, "tag": args.tag, "found": found})
        if args.trunks is not None and sorted(args.trunks) != port["trunks"]:
            return Verdict(False, "ovs.trunks_wrong",
                           {**values, "trunks": ",".join(map(str, sorted(args.trunks))),
                            "found": ",".join(map(str, port["trunks"])) or "-"})
        tag = port["tag"] if port["tag"] is not None else "-"
        return Verdict(True, "ovs.port_ok", {**values, "tag": tag})
