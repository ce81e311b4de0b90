"""Check kinds about forwarding and NAT: a sysctl setting (live, or as set for the next boot)
and a source-NAT rule written with nftables or iptables (either is accepted)."""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar, Literal

from labkit.checks.base import Args, CheckKind, Facts, ProbeUnavailable, Verdict
from labkit.probes.base import Probe
from labkit.probes.firewall import IptablesSave, NatRule, NftRuleset, Sysctl


class SysctlArgs(Args):
    setting: str
    value: str
    when: Literal["now", "boot"] = "now"


class SysctlValue(CheckKind[SysctlArgs]):
    """The kernel setting has ``value`` now (``when: now``) or will have it after a reboot
    (``when: boot``: the last value the sysctl files give it)."""

    name: ClassVar[str] = "sysctl.value"
    Args = SysctlArgs

    def probe(self, args: SysctlArgs) -> Sysctl:
        return Sysctl(args.setting)

    def evaluate(self, args: SysctlArgs, facts: Facts) -> Verdict:
        fact = facts[self.probe(args)]
        values = {"setting": args.setting, "value": args.value}
        if args.when == "now":
            if fact["value"] is None:
                return Verdict(False, "sysctl.unknown", values)
            if fact["value"] != args.value:
                return Verdict(False, "sysctl.now_wrong", {**values, "found": fact["value"]})
            return Verdict(True, "sysctl.now_ok", values)
        if fact["persistent"] is None:
            return Verdict(False, "sysctl.boot_missing", values)
        if fact["persistent"] != args.value:
            return Verdict(False, "sysctl.boot_wrong",
                           {**values, "found": fact["persistent"], "source": fact["source"]})
        return Verdict(True, "sysctl.boot_ok", {**values, "source": fact["source"]})


class NatArgs(Args):
    source: str                      # the inside network, e.g. 10.0.10.0/24
    out: str | None = None           # the outside interface
    action: Literal["any", "masquerade", "snat"] = "any"


def _covers(rule_saddr: str | None, source: str) -> bool:
    """A rule for ``rule_saddr`` (None: every address) translates packets from ``source``."""
    if rule_saddr is None:
        return True
    try:
        return ipaddress.ip_network(source, strict=False).subnet_of(
            ipaddress.ip_network(rule_saddr, strict=False))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False


class Nat(CheckKind[NatArgs]):
    """Packets from ``source`` leaving by ``out`` get the router's address (SNAT or
    MASQUERADE in a postrouting NAT chain), in nftables or iptables."""

    name: ClassVar[str] = "firewall.nat"
    Args = NatArgs

    def probes(self, args: NatArgs) -> list[Probe[Any]]:
        return [NftRuleset(), IptablesSave()]

    def _rules(self, args: NatArgs, facts: Facts) -> list[NatRule]:
        rules: list[NatRule] = []
        errors = []
        for probe in self.probes(args):
            try:
                rules.extend(facts[probe]["nat"])
            except ProbeUnavailable as exc:
                errors.append(exc.reason)
        if len(errors) == 2:
            raise ProbeUnavailable("; ".join(errors))
        return rules

    def evaluate(self, args: NatArgs, facts: Facts) -> Verdict:
        values = {"source": args.source, "out": args.out or "*"}
        snat = [r for r in self._rules(args, facts)
                if r["action"] in ("masquerade", "snat") and r["hook"] == "postrouting"]
        if not snat:
            return Verdict(False, "nat.missing", values)
        matching = [r for r in snat if _covers(r["saddr"], args.source)]
        if not matching:
            found = ", ".join(sorted({str(r["saddr"]) for r in snat}))
            return Verdict(False, "nat.source_wrong", {**values, "found": found})
        if args.out is not None:
            on_out = [r for r in matching if r["oif"] in (None, args.out)]
            if not on_out:
                found = ", ".join(sorted({str(r["oif"]) for r in matching}))
                return Verdict(False, "nat.out_wrong", {**values, "found": found})
            matching = on_out
        if args.action != "any" and not any(r["action"] == args.action for r in matching):
            return Verdict(False, "nat.action_wrong",
                           {**values, "action": args.action, "found": matching[0]["action"]})
        rule = matching[0]
        return Verdict(True, "nat.ok", {**values, "tool": rule["tool"],
                                        "action": rule["action"]})
