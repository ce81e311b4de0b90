"""iSCSI: the LIO target as saved (saveconfig.json, restored at boot) and as running now
(configfs, read with ``find``/``cat`` only), the initiator's sessions and node records, and
the systemd units that restore the target at boot. All read-only.

Target data, both sources: ``{"backstores": [{"name", "plugin", "dev", "size"}],
"targets": [{"iqn", "tpgs": [{"tag", "enabled", "luns": [{"index", "backstore"}],
"acls": [{"iqn", "userid", "password_set"}], "portals": ["0.0.0.0:3260"]}]}]}``
(``backstore`` is ``plugin/name``, e.g. ``fileio/vm1``; a CHAP password is never returned).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Required, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

SAVECONFIG = "/etc/rtslib-fb-target/saveconfig.json"
CONFIGFS = "/sys/kernel/config/target"
#: The iSCSI qualified name format the course teaches: iqn.yyyy-mm.reversed-domain[:name]
IQN = re.compile(r"^iqn\.(\d{4})-(0[1-9]|1[0-2])\.[a-z0-9]([a-z0-9-]*[a-z0-9])?"
                 r"(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[^\s]+)?$")
_PLUGINS = {"fileio": "fileio", "block": "block", "iblock": "block", "pscsi": "pscsi",
            "ramdisk": "ramdisk", "rd_mcp": "ramdisk", "user": "user"}


class Backstore(TypedDict):
    name: str
    plugin: str
    dev: str
    size: int


class Lun(TypedDict):
    index: int
    #: ``plugin/name``, e.g. ``fileio/vm1``
    backstore: str


class Acl(TypedDict):
    iqn: str
    userid: str
    password_set: bool


class Tpg(TypedDict):
    tag: int
    enabled: bool
    luns: list[Lun]
    acls: list[Acl]
    portals: list[str]


class IscsiTarget(TypedDict):
    iqn: str
    tpgs: list[Tpg]


class TargetData(TypedDict):
    backstores: list[Backstore]
    targets: list[IscsiTarget]


class SavedTarget(TypedDict, total=False):
    """``iscsi.saveconfig``: ``exists`` and, when it does, the target data."""

    exists: Required[bool]
    backstores: list[Backstore]
    targets: list[IscsiTarget]


class RunningTarget(TypedDict, total=False):
    """``iscsi.live``: ``loaded`` (the target is configured in configfs) and the data."""

    loaded: Required[bool]
    backstores: list[Backstore]
    targets: list[IscsiTarget]


class Session(TypedDict):
    target: str
    portal: str
    state: str
    disks: list[str]


class NodeRecord(TypedDict):
    target: str
    portal: str
    startup: str
    authmethod: str
    username: str


#: What LIO shows for a CHAP user or password that was cleared (``set auth userid=``).
_UNSET = "NULL"


def _chap(value: Any) -> str:
    return "" if value in (None, "", _UNSET) else str(value)


def _saved(data: Any) -> TargetData:
    if not isinstance(data, dict):
        raise ProbeError("saveconfig.json is not a JSON object")
    backstores: list[Backstore] = []
    for so in data.get("storage_objects") or []:
        if not isinstance(so, dict) or not isinstance(so.get("name"), str):
            raise ProbeError("saveconfig.json: unexpected storage object")
        plugin = _PLUGINS.get(str(so.get("plugin")), str(so.get("plugin")))
        backstores.append({"name": so["name"], "plugin": plugin, "dev": str(so.get("dev", "")),
                           "size": int(so.get("size") or 0)})
    targets: list[IscsiTarget] = []
    for t in data.get("targets") or []:
        if not isinstance(t, dict) or t.get("fabric", "iscsi") != "iscsi":
            continue
        tpgs: list[Tpg] = []
        for g in t.get("tpgs") or []:
            luns: list[Lun] = [{"index": int(lun.get("index", 0)),
                     "backstore": "/".join(str(lun.get("storage_object", "")).split("/")[-2:])}
                    for lun in g.get("luns") or []]
            acls: list[Acl] = [{"iqn": a.get("node_wwn", ""), "userid": _chap(a.get("chap_userid")),
                     "password_set": bool(_chap(a.get("chap_password")))}
                    for a in g.get("node_acls") or []]
            portals = [f"{p.get('ip_address')}:{p.get('port')}" for p in g.get("portals") or []]
            tpgs.append({"tag": int(g.get("tag", 1)), "enabled": bool(g.get("enable", True)),
                         "luns": luns, "acls": acls, "portals": portals})
        targets.append({"iqn": str(t.get("wwn", "")), "tpgs": tpgs})
    for b in backstores:
        b["plugin"] = _PLUGINS.get(b["plugin"], b["plugin"])
    return {"backstores": backstores, "targets": targets}


@dataclass(frozen=True)
class SavedConfig(Probe[SavedTarget]):
    """The target configuration saved by ``targetcli saveconfig`` (what is restored at
    boot). Returns ``{"exists": False}`` or ``{"exists": True, **target data}``."""

    name: ClassVar[str] = "iscsi.saveconfig"

    def command(self) -> str:
        return f"if [ -f {SAVECONFIG} ]; then cat {SAVECONFIG}; else echo labkit:missing; fi"

    def parse(self, result: CommandResult) -> SavedTarget:
        if result.stdout.strip() == "labkit:missing":
            return {"exists": False}
        if not result.ok:
            raise ProbeError(f"cannot read {SAVECONFIG}: {result.tail(2)}")
        try:
            data = json.loads(result.stdout)
        except (ValueError, RecursionError):
            raise ProbeError(f"{SAVECONFIG} is not valid JSON") from None
        try:
            saved = _saved(data)
            return {"exists": True, "backstores": saved["backstores"],
                    "targets": saved["targets"]}
        except (TypeError, ValueError, AttributeError) as exc:
            raise ProbeError(f"{SAVECONFIG}: unexpected content ({exc})") from None


# One line per fact: B <hba_dir> <name> <udev_path> <size> | T <iqn> | G <iqn> <tag> <enable>
# | L <iqn> <tag> <lun> <backstore link> | A <iqn> <tag> <acl> <userid> <password set 0/1>
# | P <iqn> <tag> <portal>
_LIVE = r"""
c=/sys/kernel/config/target
[ -d $c/core ] || { echo labkit:no-target; exit 0; }
for so in $c/core/*_*/*/; do
  [ -f "$so/udev_path" ] || continue
  h=$(basename "$(dirname "$so")"); n=$(basename "$so")
  sz=$(sed -n 's/.*[^A-Za-z]Size: \([0-9]*\).*/\1/p' "$so/info" 2>/dev/null | head -1)
  echo "B $h $n $(cat "$so/udev_path") ${sz:-0}"
done
for t in $c/iscsi/iqn.* $c/iscsi/eui.* $c/iscsi/naa.*; do
  [ -d "$t" ] || continue
  i=$(basename "$t"); echo "T $i"
  for g in "$t"/tpgt_*; do
    [ -d "$g" ] || continue
    tag=${g##*_}; echo "G $i $tag $(cat "$g/enable")"
    for l in "$g"/lun/lun_*; do
      [ -d "$l" ] || continue
      for x in "$l"/*; do [ -L "$x" ] && echo "L $i $tag ${l##*_} $(readlink "$x")"; done
    done
    for a in "$g"/acls/*; do
      [ -d "$a" ] || continue
      p=1; case $(cat "$a/auth/password" 2>/dev/null) in ''|NULL) p=0;; esac
      echo "A $i $tag $(basename "$a") $(cat "$a/auth/userid" 2>/dev/null) $p"
    done
    for p in "$g"/np/*; do [ -d "$p" ] && echo "P $i $tag $(basename "$p")"; done
  done
done
"""


def parse_live(text: str) -> TargetData:
    """The output of the configfs walk (``_LIVE``) as target data."""
    backstores: list[Backstore] = []
    targets: dict[str, IscsiTarget] = {}
    tpgs: dict[tuple[str, int], Tpg] = {}
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        try:
            if f[0] == "B":
                plugin = _PLUGINS.get(f[1].rsplit("_", 1)[0], f[1].rsplit("_", 1)[0])
                backstores.append({"name": f[2], "plugin": plugin,
                                   "dev": f[3] if len(f) > 4 else "",
                                   "size": int(f[-1]) if len(f) > 4 else 0})
            elif f[0] == "T":
                targets[f[1]] = {"iqn": f[1], "tpgs": []}
            elif f[0] == "G":
                g: Tpg = {"tag": int(f[2]), "enabled": f[3] == "1", "luns": [], "acls": [],
                     "portals": []}
                tpgs[(f[1], int(f[2]))] = g
                targets[f[1]]["tpgs"].append(g)
            elif f[0] == "L":
                parts = f[4].rstrip("/").split("/")
                hba, name = parts[-2], parts[-1]
                plugin = _PLUGINS.get(hba.rsplit("_", 1)[0], hba.rsplit("_", 1)[0])
                tpgs[(f[1], int(f[2]))]["luns"].append({"index": int(f[3]),
                                                        "backstore": f"{plugin}/{name}"})
            elif f[0] == "A":
                userid = f[4] if len(f) == 6 and f[4] != _UNSET else ""
                tpgs[(f[1], int(f[2]))]["acls"].append(
                    {"iqn": f[3], "userid": userid, "password_set": f[-1] == "1"})
            elif f[0] == "P":
                tpgs[(f[1], int(f[2]))]["portals"].append(f[3])
            else:
                raise ProbeError(f"unexpected configfs line: {line!r}")
        except (IndexError, KeyError, ValueError):
            raise ProbeError(f"unexpected configfs line: {line!r}") from None
    return {"backstores": backstores, "targets": list(targets.values())}


@dataclass(frozen=True)
class LiveTarget(Probe[RunningTarget]):
    """The LIO target running now, read from configfs (/sys/kernel/config/target).
    Returns ``{"loaded": False}`` (no target module/config) or ``{"loaded": True, **data}``."""

    name: ClassVar[str] = "iscsi.live"

    def command(self) -> str:
        return _LIVE.strip()

    def parse(self, result: CommandResult) -> RunningTarget:
        if result.stdout.strip() == "labkit:no-target":
            return {"loaded": False}
        if not result.ok:
            raise ProbeError(f"cannot read {CONFIGFS}: {result.tail(2)}")
        live = parse_live(result.stdout)
        return {"loaded": True, "backstores": live["backstores"], "targets": live["targets"]}


@dataclass(frozen=True)
class Units(Probe[dict[str, str]]):
    """Whether the units that restore the target at boot are enabled:
    ``{"rtslib-fb-targetctl.service": "enabled", "target.service": "not-found"}``."""

    name: ClassVar[str] = "iscsi.units"
    units: tuple[str, ...] = ("rtslib-fb-targetctl.service", "target.service")

    def command(self) -> str:
        return "; ".join(f"printf '%s %s\\n' {q(u)} \"$(systemctl is-enabled {q(u)} 2>&1 "
                         f"| tail -1)\"" for u in self.units)

    def parse(self, result: CommandResult) -> dict[str, str]:
        out = {}
        for line in result.stdout.splitlines():
            unit, _, state = line.partition(" ")
            if unit in self.units:
                out[unit] = "not-found" if "No such file" in state or not state else state
        if set(out) != set(self.units):
            raise ProbeError(f"systemctl is-enabled failed: {result.tail(2)}")
        return out


@dataclass(frozen=True)
class Sessions(Probe[list[Session]]):
    """The initiator's sessions (``iscsiadm -m session -P 3``):
    ``[{"target", "portal", "state", "disks": ["sdb", …]}]``."""

    name: ClassVar[str] = "iscsi.sessions"

    def command(self) -> str:
        return "iscsiadm -m session -P 3"

    def parse(self, result: CommandResult) -> list[Session]:
        if result.exit_code == 21 or "No active sessions" in result.stderr:
            return []
        if result.exit_code == 127:
            raise ProbeError("open-iscsi (iscsiadm) is not installed on the lab host")
        if not result.ok:
            raise ProbeError(f"iscsiadm -m session failed: {result.tail(2)}")
        sessions: list[Session] = []
        for line in result.stdout.splitlines():
            text = line.strip()
            if text.startswith("Target: "):
                sessions.append({"target": text.split()[1], "portal": "", "state": "",
                                 "disks": []})
            elif not sessions:
                continue
            elif text.startswith("Current Portal:"):
                sessions[-1]["portal"] = text.split()[2].split(",")[0]
            elif text.startswith("iSCSI Session State:"):
                sessions[-1]["state"] = text.split(":", 1)[1].strip()
            elif text.startswith("Attached scsi disk"):
                sessions[-1]["disks"].append(text.split()[3])
        return sessions


@dataclass(frozen=True)
class Nodes(Probe[list[NodeRecord]]):
    """The initiator's node records (/etc/iscsi/nodes: what it logs in to at boot):
    ``[{"target", "portal", "startup", "authmethod", "username"}]``."""

    name: ClassVar[str] = "iscsi.nodes"

    def command(self) -> str:
        return ("[ -d /etc/iscsi/nodes ] || exit 0; find /etc/iscsi/nodes -type f | sort | "
                "while read -r f; do echo \"== $f\"; grep -E '^node\\.(name|startup|conn\\[0\\]"
                "\\.address|conn\\[0\\]\\.port|session\\.auth\\.(authmethod|username)) ' \"$f\"; "
                "done")

    def parse(self, result: CommandResult) -> list[NodeRecord]:
        if not result.ok:
            raise ProbeError(f"cannot read /etc/iscsi/nodes: {result.tail(2)}")
        nodes: list[NodeRecord] = []
        for line in result.stdout.splitlines():
            if line.startswith("== "):
                nodes.append({"target": "", "portal": "", "startup": "", "authmethod": "",
                              "username": ""})
                continue
            key, _, value = line.partition(" = ")
            if not nodes:
                continue
            node = nodes[-1]
            value = value.strip()
            if key == "node.name":
                node["target"] = value
            elif key == "node.startup":
                node["startup"] = value
            elif key == "node.conn[0].address":
                node["portal"] = value + node["portal"]
            elif key == "node.conn[0].port":
                node["portal"] = node["portal"] + f":{value}"
            elif key == "node.session.auth.authmethod":
                node["authmethod"] = value
            elif key == "node.session.auth.username":
                node["username"] = value
        return nodes
