"""Lab topologies: which hosts a lab has, their roles and their lab addresses.

The lab addresses exist only inside the guests, on ``eth1`` behind the lab's own
userspace switch; they are never routed on the machine running the VMs.

=========  ==========================================  =======================================
name       hosts (role = host name)                    for
=========  ==========================================  =======================================
single     host 192.168.100.10                         qemu-img, LVM, local exercises
storage    server 192.168.100.10, client .20           NFS and iSCSI between two hosts
network    router 192.168.100.1, a .11, b .12          VLAN trunks, bridges, OVS, macvtap
=========  ==========================================  =======================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from labkit.errors import SandboxError

LAB_PREFIX = 24


@dataclass(frozen=True)
class HostSpec:
    """One host of a topology."""

    name: str
    role: str
    lab_ip: str
    index: int

    @property
    def lab_cidr(self) -> str:
        return f"{self.lab_ip}/{LAB_PREFIX}"

    @property
    def lab_mac(self) -> str:
        """A locally administered MAC, unique inside the lab."""
        return f"52:54:00:4c:42:{self.index + 1:02x}"


@dataclass(frozen=True)
class Topology:
    """A named set of hosts on one lab switch."""

    name: str
    description: str
    hosts: tuple[HostSpec, ...]
    #: The host that serves an exercise with one role (``host``): the lessons and
    #: ``--lab`` grading agree on it.
    one_host: str

    @property
    def switched(self) -> bool:
        """Whether the lab needs a switch (more than one host)."""
        return len(self.hosts) > 1

    def host(self, name: str) -> HostSpec:
        for host in self.hosts:
            if name in (host.name, host.role):
                return host
        names = ", ".join(h.name for h in self.hosts)
        raise SandboxError(f"no host {name!r} in topology {self.name} (hosts: {names})")


def _topology(name: str, description: str, one_host: str, *hosts: tuple[str, str]) -> Topology:
    return Topology(name, description, tuple(
        HostSpec(name=host, role=host, lab_ip=ip, index=i) for i, (host, ip) in enumerate(hosts)
    ), one_host)


TOPOLOGIES: dict[str, Topology] = {
    "single": _topology("single", "one host (role host)", "host",
                        ("host", "192.168.100.10")),
    "storage": _topology("storage", "NFS/iSCSI server and client on a lab network", "server",
                         ("server", "192.168.100.10"), ("client", "192.168.100.20")),
    "network": _topology("network", "router and two hosts on a VLAN-capable lab switch", "b",
                         ("router", "192.168.100.1"), ("a", "192.168.100.11"),
                         ("b", "192.168.100.12")),
}
DEFAULT_TOPOLOGY = "single"


def one_host(host_names: Iterable[str]) -> str:
    """The host of a lab with these hosts that serves a one-role exercise (its topology's
    ``one_host``; the first host of a lab of no known topology)."""
    names = tuple(host_names)
    for topology in TOPOLOGIES.values():
        if set(names) == {h.name for h in topology.hosts}:
            return topology.one_host
    if not names:
        raise SandboxError("the lab has no hosts")
    return names[0]


def get_topology(name: str) -> Topology:
    """The topology called ``name``, or :class:`SandboxError` listing the known ones."""
    try:
        return TOPOLOGIES[name]
    except KeyError:
        known = ", ".join(TOPOLOGIES)
        raise SandboxError(f"unknown topology {name!r} (known: {known})") from None
