"""The network configuration that survives a reboot, read from its files: systemd-networkd
(``/etc/systemd/network``: ``.netdev``, ``.network`` and their ``.d/*.conf`` drop-ins) and
ifupdown (``/etc/network/interfaces`` and ``interfaces.d``). The live state is read by
``labkit.probes.net``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, TypedDict

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult


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
