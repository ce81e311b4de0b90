"""The lab host itself: which machine it is (for evidence records and copied-VM detection)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

_MACHINE_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class MachineId(Probe[str]):
    """The host's machine id (``/etc/machine-id``, else ``/var/lib/dbus/machine-id``).

    Returns 32 lower-case hex digits, e.g. ``"3d1219c7c4c5404aaa1f6d2a48adfda4"``, or ``""``
    when the host has none. Two VMs cloned without resetting it share it.
    """

    name: ClassVar[str] = "system.machine_id"
    timeout: ClassVar[float] = 5.0

    def command(self) -> str:
        return ("cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id 2>/dev/null "
                "|| true")

    def parse(self, result: CommandResult) -> str:
        text = result.stdout.strip()
        if not text:
            return ""
        value = text.splitlines()[0].strip().lower()
        if not _MACHINE_ID.match(value):
            raise ProbeError(f"unexpected machine id {value[:40]!r}")
        return value


@dataclass(frozen=True)
class Hostname(Probe[str]):
    """The host's name (``uname -n``), e.g. ``"debian-lab"``."""

    name: ClassVar[str] = "system.hostname"
    timeout: ClassVar[float] = 5.0

    def command(self) -> str:
        return "uname -n"

    def parse(self, result: CommandResult) -> str:
        if not result.ok or not result.stdout.strip():
            raise ProbeError(f"uname -n failed: {result.tail(2) or 'no output'}")
        return result.stdout.strip().splitlines()[0]
