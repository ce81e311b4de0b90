"""The sandbox labs the lessons run on: find, start, attach, switch.

Lessons use one sandbox lab per topology, named after it (``single``, ``storage``,
``network``; ``labkit lab status --name storage`` shows one). ``ensure(topology)``:

- the lab is up (every host running): attach to it (other labs are left as they are);
- it is down: start it (``Lab.up``: from the warm snapshot, a few seconds per VM), first
  stopping the other lesson labs (a switch of topology), so a 2-core laptop never runs five
  TCG guests; the panel says so in one line. ``keep_other=True`` keeps them.

Labs under other names (a teacher's, a test's) are never touched: only mentioned.
The sandbox is reached through :class:`SandboxControl`; tests pass their own control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from labkit.lessons.table import TOPOLOGY_HOSTS
from labkit.transports.base import Transport

Progress = Callable[[str], None]
LESSON_LABS = tuple(TOPOLOGY_HOSTS)


class LabControl(Protocol):
    """What the lessons need from the sandbox."""

    def labs(self) -> dict[str, dict[str, Any]]:
        """name -> status (``Lab.status()``: topology, accel, hosts with state and url)."""

    def up(self, name: str, topology: str, progress: Progress) -> dict[str, Any]:
        """Start (or complete) lab ``name``; its status once every host answers SSH."""

    def down(self, name: str) -> None:
        """Stop lab ``name`` and remove its files."""

    def transport(self, url: str) -> Transport:
        """The transport to a host of a lab (by its URL)."""


class SandboxControl:
    """:class:`LabControl` on this machine's sandbox (``labkit.sandbox``)."""

    def labs(self) -> dict[str, dict[str, Any]]:
        from labkit.errors import LabkitError
        from labkit.sandbox import Lab, list_labs

        found: dict[str, dict[str, Any]] = {}
        for name in list_labs():
            try:
                found[name] = Lab(name).status()
            except LabkitError:
                continue
        return found

    def up(self, name: str, topology: str, progress: Progress) -> dict[str, Any]:
        from labkit.sandbox import Lab

        lab = Lab(name)
        lab.up(topology, progress=progress)
        return lab.status()

    def down(self, name: str) -> None:
        from labkit.sandbox import Lab

        Lab(name).down()

    def transport(self, url: str) -> Transport:
        from labkit.transports import open_transport

        return open_transport(url)


def is_running(status: dict[str, Any]) -> bool:
    hosts = status.get("hosts") or []
    return bool(hosts) and all(h.get("state") == "running" for h in hosts)


@dataclass
class Attached:
    """A lesson lab that is up: its name, status, and what was done to get there."""

    name: str
    status: dict[str, Any]
    started: bool = False                           # it was (partly) down and was started
    stopped: list[str] = field(default_factory=list)  # other lesson labs stopped for it
    others: list[str] = field(default_factory=list)   # other labs left running
    seconds: float = 0.0                            # how long attaching/starting took

    @property
    def urls(self) -> dict[str, str]:
        """host name -> ssh:// URL."""
        return {str(h["name"]): str(h["url"]) for h in self.status.get("hosts", [])}

    @property
    def accel(self) -> str:
        return str(self.status.get("accel", "?"))


def lab_name(topology: str) -> str:
    """The lesson lab of ``topology`` is called like it."""
    return topology


def find(topology: str, control: LabControl) -> dict[str, Any] | None:
    """The status of the lesson lab of ``topology`` if it is up (all hosts running)."""
    status = control.labs().get(lab_name(topology))
    if status is not None and status.get("topology") == topology and is_running(status):
        return status
    return None


def ensure(topology: str, control: LabControl, *, keep_other: bool = False,
           progress: Progress = lambda _m: None) -> Attached:
    """Attach to the lesson lab of ``topology``, starting it (and stopping the other lesson
    labs unless ``keep_other``) when it is down."""
    name = lab_name(topology)
    labs = control.labs()
    mine = labs.get(name)
    if mine is not None and mine.get("topology") != topology:
        # a lab of this name with another topology: it is a lesson lab gone wrong; redo it
        control.down(name)
        mine = None
    if mine is not None and is_running(mine):
        return Attached(name, mine, others=[n for n in labs if n != name])
    stopped, others = [], []
    for other, status in labs.items():
        if other == name:
            continue
        if other in LESSON_LABS and not keep_other and status.get("topology") == other:
            control.down(other)
            stopped.append(other)
        else:
            others.append(other)
    status = control.up(name, topology, progress)
    return Attached(name, status, started=True, stopped=stopped, others=others)
