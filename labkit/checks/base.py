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
    """The probes' outcomes of one host, looked up by probe."""

    def __init__(self, outcomes: dict[str, Outcome]) -> None:
        self._outcomes = outcomes

    def __getitem__(self, probe: Probe) -> Any:
        outcome = self._outcomes.get(probe.key)
        if outcome is None:
            raise ProbeUnavailable(f"{probe.name} was not collected")
        if outcome.error is not None:
            raise ProbeUnavailable(outcome.error)
        return outcome.value


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
        """The probes whose values ``evaluate`` reads."""

    @abc.abstractmethod
    def evaluate(self, args: A, facts: Facts) -> Verdict:
        """Compare the expected configuration ``args`` with ``facts``."""
