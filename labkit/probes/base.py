"""A probe reads one piece of state from a host: a shell command plus a pure parser.

A probe never decides pass or fail; it turns text into data. Probes are frozen dataclasses
whose fields are their parameters, so equal probes share one key and run once per grade.
``Probe[T]`` says what ``parse`` returns — a frozen dataclass for the typed probes (e.g.
:class:`labkit.probes.lvm.LvmSettings`), plain JSON-like data for the rest — and
``Facts[probe]`` gives it back with that type, so a check that reads a field the probe does
not have fails mypy, not a student.

What one grade read from one host lives here too: an :class:`Outcome` per probe (a value, or
the reason there is none) and :class:`Facts`, the outcomes looked up by probe.
"""

from __future__ import annotations

import abc
import dataclasses
import json
import shlex
from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Generic, TypeVar

from labkit.transports.base import CommandResult

T = TypeVar("T", covariant=True)
V = TypeVar("V")

PROBES: dict[str, type[Probe[Any]]] = {}


@dataclass(frozen=True)
class Probe(abc.ABC, Generic[T]):
    """Base of every probe. Subclasses set ``name`` and implement ``command``/``parse``."""

    name: ClassVar[str]
    timeout: ClassVar[float] = 15.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            PROBES[cls.name] = cls

    @property
    def key(self) -> str:
        """A stable identity: the probe name and its parameters."""
        params = asdict(self)
        return self.name + (json.dumps(params, sort_keys=True) if params else "")

    @abc.abstractmethod
    def command(self) -> str:
        """The shell command (every argument quoted) whose output ``parse`` reads."""

    @abc.abstractmethod
    def parse(self, result: CommandResult) -> T:
        """Turn the command's result into data; raise ProbeError if it makes no sense."""


def q(value: str) -> str:
    """Quote one shell argument."""
    return shlex.quote(value)


def probe_from_dict(data: dict[str, Any]) -> Probe[Any]:
    """Rebuild a probe from ``{"probe": name, "args": {...}}`` (test cases, recordings)."""
    if data["probe"] not in PROBES:
        from labkit.probes import load_all

        load_all()
    cls = PROBES[data["probe"]]
    return cls(**data.get("args", {}))


def plain(value: Any) -> Any:
    """A probe's value as plain data (dataclasses as dicts, tuples as lists): what JSON
    probe cases hold in ``expected`` and what widgets that draw facts read."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


# -- what one grade read ---------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What one probe gave: a parsed value, or the reason it has none."""

    value: Any = None
    error: str | None = None
    result: CommandResult | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class ProbeUnavailable(Exception):
    """A probe a check needs has no value (it could not run or be parsed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Facts:
    """The probes' outcomes of one host, looked up by probe: ``facts[LvmReport()]``.

    A check that compares hosts (the NFS client mounts what the server exports) reads the
    other roles' facts with ``facts.on("server")``; ``others`` holds them, by role, and
    ``unreachable`` the reason a role's host could not be read.
    """

    def __init__(self, outcomes: dict[str, Outcome],
                 others: dict[str, Facts] | None = None,
                 unreachable: dict[str, str] | None = None) -> None:
        self._outcomes = outcomes
        self._others = others or {}
        self._unreachable = unreachable or {}

    def __getitem__(self, probe: Probe[V]) -> V:
        """The probe's value; ProbeUnavailable when it was not collected or has none."""
        outcome = self._outcomes.get(probe.key)
        if outcome is None:
            raise ProbeUnavailable(f"{probe.name} was not collected")
        if outcome.error is not None:
            raise ProbeUnavailable(outcome.error)
        value: V = outcome.value
        return value

    def linked(self, others: dict[str, Facts], unreachable: dict[str, str]) -> Facts:
        """These facts, able to reach the other roles' facts."""
        return Facts(self._outcomes, others, unreachable)

    def on(self, role: str) -> Facts:
        """The facts of the host playing ``role``."""
        if role in self._unreachable:
            raise ProbeUnavailable(self._unreachable[role])
        if role not in self._others:
            raise ProbeUnavailable(f"no facts were collected on the {role} host")
        return self._others[role]
