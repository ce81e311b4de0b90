"""Check kinds: how an expected configuration is compared with the facts read from a host.

A check kind is a class with an ``Args`` model (the YAML ``args`` of a check), the probe it
reads, declared ONCE in ``probe`` (``probes`` when it reads several), and ``evaluate`` which
turns the probes' values into a Verdict: ``facts[self.probe(args)]`` is the value, typed as
the probe's ``parse`` returns it. A kind never runs a command.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from labkit.probes.base import Facts, Outcome, Probe, ProbeUnavailable
from labkit.units import Size

__all__ = ["KINDS", "Args", "CheckKind", "Facts", "Outcome", "ProbeUnavailable", "Size",
           "Verdict"]

KINDS: dict[str, type[CheckKind[Any]]] = {}


class Args(BaseModel):
    """Base of every kind's arguments: unknown fields are errors. A kind's validator is
    built when its arguments are first validated (``defer_build``): a grade builds only the
    kinds its grader uses, not every kind of the modules it imports."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


A = TypeVar("A", bound=Args)


@dataclass(frozen=True)
class Verdict:
    """Pass or fail, with a catalog message key and its values (the observed facts)."""

    passed: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)


class CheckKind(abc.ABC, Generic[A]):
    """Base of every check kind. Subclasses set ``name`` and ``Args``, declare the probe
    they read in ``probe`` (or, reading several, in ``probes``) and judge in ``evaluate``."""

    name: ClassVar[str]
    Args: ClassVar[type[Args]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            KINDS[cls.name] = cls

    def probe(self, args: A) -> Probe[Any]:
        """The one probe this kind reads (most kinds read one): ``evaluate`` gets its value
        with ``facts[self.probe(args)]``."""
        raise NotImplementedError(f"{type(self).__name__} declares neither probe nor probes")

    def probes(self, args: A) -> list[Probe[Any]]:
        """Every probe ``evaluate`` reads on the check's own host: ``[self.probe(args)]``
        unless a kind reads several."""
        return [self.probe(args)]

    def probes_by_role(self, args: A, role: str) -> dict[str, list[Probe[Any]]]:
        """The probes to run on each role's host; override to read other roles' hosts too
        (and read them in ``evaluate`` with ``facts.on(role)``)."""
        return {role: self.probes(args)}

    @abc.abstractmethod
    def evaluate(self, args: A, facts: Facts) -> Verdict:
        """Compare the expected configuration ``args`` with ``facts``."""
