"""The initiator's iSCSI sessions as the kernel sees them (/sys/class/iscsi_session): the
target, the portal, the session state (``LOGGED_IN``; ``FAILED``/``FREE`` while a dropped
connection is being retried) and the disks attached. Read-only; the CHAP files in the same
folders are never read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

# One line per session: S <target> <state> <address> <port> <connection state>,
# then D <disk> for each disk the session attached.
_WALK = r"""
for s in /sys/class/iscsi_session/session*; do
  [ -d "$s" ] || continue
  c=$(ls -d "$s"/device/connection*/iscsi_connection/* 2>/dev/null | head -n 1)
  printf 'S %s %s %s %s %s\n' "$(cat "$s/targetname")" "$(cat "$s/state")" \
    "$(cat "$c/persistent_address" 2>/dev/null || echo -)" \
    "$(cat "$c/persistent_port" 2>/dev/null || echo -)" "$(cat "$c/state" 2>/dev/null || echo -)"
  for b in "$s"/device/target*/*/block/*; do [ -e "$b" ] && echo "D ${b##*/}"; done
done
true
"""


@dataclass(frozen=True)
class SessionState:
    target: str
    #: ``address:port`` of the portal the session is connected to
    portal: str
    #: the session state: ``LOGGED_IN``, ``FAILED``, ``FREE``
    state: str
    #: the connection state: ``up``, ``down``…
    connection: str
    disks: tuple[str, ...]


@dataclass(frozen=True)
class KernelSessions(Probe[tuple[SessionState, ...]]):
    """Every iSCSI session of the host: a tuple of :class:`SessionState`."""

    name: ClassVar[str] = "iscsi.kernel_sessions"

    def command(self) -> str:
        return _WALK.strip()

    def parse(self, result: CommandResult) -> tuple[SessionState, ...]:
        if not result.ok:
            raise ProbeError(f"cannot read /sys/class/iscsi_session: {result.tail(2)}")
        sessions: list[SessionState] = []
        for line in result.stdout.splitlines():
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "S" and len(fields) == 6:
                _, target, state, address, port, connection = fields
                sessions.append(SessionState(target, f"{address}:{port}", state, connection, ()))
            elif fields[0] == "D" and len(fields) == 2 and sessions:
                last = sessions[-1]
                sessions[-1] = SessionState(last.target, last.portal, last.state,
                                            last.connection, (*last.disks, fields[1]))
            else:
                raise ProbeError(f"unexpected iSCSI session line: {line!r}")
        return tuple(sessions)
