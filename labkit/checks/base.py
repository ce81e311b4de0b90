"""Check kinds: how an expected configuration is compared with the facts read from a host.

A check kind is a class with an ``Args`` model (the YAML ``args`` of a check), the probes it
needs, and ``evaluate`` which turns the probes' values into a Verdict. It never runs a command.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from labkit.host import Outcome
from labkit.probes.base import Probe

KINDS: dict[str, type[CheckKind[Any]]] = {}


class Args(BaseModel):
    """Base of every kind's arguments: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


A = TypeVar("A", bound=Args)


@dataclass(frozen=True)
class Verdict:
    """Pass or fail, with a catalog message key and its values (the observed facts)."""

    passed: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)


class ProbeUnavailable(Exception):
    """A probe a check needs has no value (it could not run or be parsed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Facts:
    """The probes' outcomes of one host, looked up by probe.

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

    def __getitem__(self, probe: Probe) -> Any:
        outcome = self._outcomes.get(probe.key)
        if outcome is None:
            raise ProbeUnavailable(f"{probe.name} was not collected")
        if outcome.error is not None:
            raise ProbeUnavailable(outcome.error)
        return outcome.value

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


class CheckKind(abc.ABC, Generic[A]):
    """Base of every check kind. Subclasses set ``name`` and ``Args``."""

    name: ClassVar[str]
    Args: ClassVar[type[Args]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            KINDS[cls.name] = cls

    @abc.abstractmethod
    def probes(self, args: A) -> list[Probe]:
        """The probes whose values ``evaluate`` reads (on the check's own role's host)."""

    def probes_by_role(self, args: A, role: str) -> dict[str, list[Probe]]:
        """The probes to run on each role's host; override to read other roles' hosts too
        (and read them in ``evaluate`` with ``facts.on(role)``)."""
        return {role: self.probes(args)}

    @abc.abstractmethod
    def evaluate(self, args: A, facts: Facts) -> Verdict:
        """Compare the expected configuration ``args`` with ``facts``."""
