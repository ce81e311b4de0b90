"""Forwarding and NAT: a sysctl value (live and as configured for the next boot), the nftables
ruleset (``nft -j list ruleset``) and the iptables rules (``iptables-save``).

NAT may be written with nft or with iptables (on Debian 12 ``iptables`` is iptables-nft: its
rules appear in both outputs, as ``xt`` targets in nft's JSON). Both parsers return the same
:class:`NatRule`, so a check can accept either tool.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

_KEY = re.compile(r"^[a-z0-9_]+([./][a-z0-9_*-]+)+$")
SYSCTL_FILES = ("/etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf "
                "/usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.conf")
_SEP = "--labkit-persistent--"


def _key_pattern(key: str) -> re.Pattern[str]:
    parts = re.split(r"[./]", key)
    return re.compile(r"^\s*-?\s*" + r"[./]".join(re.escape(p) for p in parts)
                      + r"\s*=\s*(.*?)\s*$")


def effective_order(paths: list[str]) -> list[str]:
    """The order systemd-sysctl applies files in: by file name, a name in /etc hiding the
    same name in /run and /usr/lib; /etc/sysctl.conf last (Debian links it as 99-sysctl)."""
    rank = {"/etc/": 0, "/run/": 1, "/usr/local/lib/": 2, "/usr/lib/": 3, "/lib/": 4}
    chosen: dict[str, str] = {}
    for path in paths:
        if path == "/etc/sysctl.conf":
            continue
        base = path.rsplit("/", 1)[-1]
        prefix = next((r for r in rank if path.startswith(r)), "/lib/")
        if base not in chosen or rank[prefix] < rank[next(
                (r for r in rank if chosen[base].startswith(r)), "/lib/")]:
            chosen[base] = path
    ordered = [chosen[b] for b in sorted(chosen)]
    if "/etc/sysctl.conf" in paths and not any(
            p.endswith("/99-sysctl.conf") and p.startswith("/etc/") for p in ordered):
        ordered.append("/etc/sysctl.conf")
    return ordered


class SysctlInfo(TypedDict):
    """``sysctl.value``: the value now (None: no such key) and the last value the sysctl
    files set for the next boot (None: none does), with the file that sets it."""

    setting: str
    value: str | None
    persistent: str | None
    source: str | None


class NatRule(TypedDict):
    """One NAT rule as nft or iptables shows it: ``action`` masquerade, snat or dnat; the
    source prefix it matches (``10.0.10.0/24``; None: any), the output interface (None: any)
    and the address it translates to (None: the interface's own)."""

    tool: Literal["nft", "iptables"]
    family: str
    table: str
    chain: str
    hook: str | None
    action: str | None
    saddr: str | None
    oif: str | None
    to: str | None


class NftInfo(TypedDict):
    tables: list[list[str]]
    nat: list[NatRule]
    installed: bool


class IptablesInfo(TypedDict):
    nat: list[NatRule]
    installed: bool


@dataclass(frozen=True)
class Sysctl(Probe[SysctlInfo]):
    """A kernel setting now (``sysctl -n KEY``) and as the sysctl files set it for the next
    boot. Returns ``{"setting", "value": str|None (None: no such key), "persistent": str|None
    (the last value the files set, None if none does), "source": path|None}``."""

    name: ClassVar[str] = "sysctl.value"
    setting: str

    def command(self) -> str:
        if not _KEY.match(self.setting):
            raise ProbeError(f"not a sysctl key: {self.setting!r}")
        return (f"sysctl -n {q(self.setting)}; echo {_SEP}; "
                f"for f in {SYSCTL_FILES}; do [ -f \"$f\" ] && "
                f"{{ printf '==> %s <==\\n' \"$f\"; cat -- \"$f\"; }}; done; true")

    def parse(self, result: CommandResult) -> SysctlInfo:
        if _SEP not in result.stdout:
            raise ProbeError(f"sysctl printed an unexpected output: {result.tail(1)}")
        live, files_text = result.stdout.split(_SEP, 1)
        value = live.strip() or None
        if value is None and "cannot stat" not in result.stderr and "No such file" not in \
                result.stderr:
            raise ProbeError(f"sysctl could not read {self.setting}: {result.tail(1)}")
        files: dict[str, list[str]] = {}
        current = None
        for line in files_text.splitlines():
            if line.startswith("==> ") and line.endswith(" <=="):
                current = line[4:-4]
                files[current] = []
            elif current is not None:
                files[current].append(line)
        pattern = _key_pattern(self.setting)
        persistent, source = None, None
        for path in effective_order(list(files)):
            for line in files[path]:
                match = pattern.match(line)
                if match:
                    persistent, source = match.group(1), path
        return {"setting": self.setting, "value": value, "persistent": persistent, "source": source}


# -- nftables ---------------------------------------------------------------------------------
def _prefix(right: Any) -> str | None:
    if isinstance(right, str):
        return right if "/" in right else right + "/32"
    if isinstance(right, dict) and isinstance(right.get("prefix"), dict):
        p = right["prefix"]
        return f"{p.get('addr')}/{p.get('len')}"
    return None


def _addr(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "addr" in value:
        return str(value["addr"])
    return None


def nft_nat_rules(data: Any) -> list[NatRule]:
    """The NAT rules in a ``nft -j list ruleset`` document."""
    if not isinstance(data, dict) or not isinstance(data.get("nftables"), list):
        raise ProbeError("nft printed an unexpected JSON shape")
    chains: dict[tuple[str, str, str], dict[str, Any]] = {}
    rules = []
    for item in data["nftables"]:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("chain"), dict):
            c = item["chain"]
            chains[(str(c.get("family")), str(c.get("table")), str(c.get("name")))] = c
        elif isinstance(item.get("rule"), dict):
            rules.append(item["rule"])
    out: list[NatRule] = []
    for rule in rules:
        key = (str(rule.get("family")), str(rule.get("table")), str(rule.get("chain")))
        chain = chains.get(key, {})
        hook = chain.get("hook")
        found: NatRule = {"tool": "nft", "family": key[0], "table": key[1], "chain": key[2],
                          "hook": hook if isinstance(hook, str) else None, "action": None,
                          "saddr": None, "oif": None, "to": None}
        exprs = rule.get("expr")
        for expr in exprs if isinstance(exprs, list) else []:
            if not isinstance(expr, dict):
                continue
            match = expr.get("match")
            if isinstance(match, dict) and match.get("op") in ("==", "in", None):
                left = match.get("left")
                if isinstance(left, dict):
                    payload, meta = left.get("payload"), left.get("meta")
                    if isinstance(payload, dict) and payload.get("field") == "saddr":
                        found["saddr"] = _prefix(match.get("right"))
                    if isinstance(meta, dict) and meta.get("key") in ("oifname", "oif"):
                        right = match.get("right")
                        found["oif"] = right if isinstance(right, str) else None
            for action in ("masquerade", "snat", "dnat"):
                if action in expr:
                    found["action"] = action
                    body = expr[action]
                    if isinstance(body, dict):
                        found["to"] = _addr(body.get("addr"))
            xt = expr.get("xt")
            if isinstance(xt, dict) and xt.get("type") == "target" and \
                    str(xt.get("name")).lower() in ("masquerade", "snat", "dnat"):
                found["action"] = str(xt["name"]).lower()
        if found["action"]:
            out.append(found)
    return out


@dataclass(frozen=True)
class NftRuleset(Probe[NftInfo]):
    """``nft -j list ruleset``: ``{"tables": [(family, name)], "nat": [NAT rule]}``."""

    name: ClassVar[str] = "nft.ruleset"

    def command(self) -> str:
        return "nft -j list ruleset"

    def parse(self, result: CommandResult) -> NftInfo:
        if result.exit_code == 127:
            return {"tables": [], "nat": [], "installed": False}
        if not result.ok:
            raise ProbeError(f"nft failed: {result.tail(1)}")
        try:
            data = json.loads(result.stdout) if result.stdout.strip() else {"nftables": []}
        except (ValueError, RecursionError):
            raise ProbeError("nft printed something that is not JSON") from None
        nat = nft_nat_rules(data)
        tables = sorted({(str(i["table"].get("family")), str(i["table"].get("name")))
                         for i in data["nftables"]
                         if isinstance(i, dict) and isinstance(i.get("table"), dict)})
        return {"tables": [list(t) for t in tables], "nat": nat, "installed": True}


# -- iptables ---------------------------------------------------------------------------------
_HOOK = {"POSTROUTING": "postrouting", "PREROUTING": "prerouting", "OUTPUT": "output",
         "INPUT": "input"}


def iptables_nat_rules(text: str) -> list[NatRule]:
    """The NAT rules of ``iptables-save`` output (the ``*nat`` table)."""
    out: list[NatRule] = []
    table = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("*"):
            table = line[1:]
            continue
        if table != "nat" or not line.startswith("-A "):
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            raise ProbeError(f"iptables-save printed a line that cannot be read: {line[:60]}") \
                from None
        chain = words[1] if len(words) > 1 else ""
        found: NatRule = {"tool": "iptables", "family": "ip", "table": "nat", "chain": chain,
                          "hook": _HOOK.get(chain), "action": None, "saddr": None, "oif": None,
                          "to": None}
        i = 2
        while i < len(words):
            word = words[i]
            value = words[i + 1] if i + 1 < len(words) else ""
            if word in ("-s", "--source"):
                found["saddr"] = value if "/" in value else value + "/32"
            elif word in ("-o", "--out-interface"):
                found["oif"] = value
            elif word in ("-j", "--jump") and value.lower() in ("masquerade", "snat", "dnat"):
                found["action"] = value.lower()
            elif word in ("--to-source", "--to-destination", "--to"):
                found["to"] = value.split(":")[0].split("-")[0]
            i += 1
        if found["action"]:
            out.append(found)
    return out


@dataclass(frozen=True)
class IptablesSave(Probe[IptablesInfo]):
    """``iptables-save -t nat``: ``{"nat": [NAT rule], "installed": bool}``."""

    name: ClassVar[str] = "iptables.save"

    def command(self) -> str:
        return "iptables-save -t nat"

    def parse(self, result: CommandResult) -> IptablesInfo:
        if result.exit_code == 127:
            return {"nat": [], "installed": False}
        if not result.ok:
            raise ProbeError(f"iptables-save failed: {result.tail(1)}")
        return {"nat": iptables_nat_rules(result.stdout), "installed": True}
