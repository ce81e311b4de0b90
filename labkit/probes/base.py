"""A probe reads one piece of state from a host: a shell command plus a pure parser.

A probe never decides pass or fail; it turns text into data. Probes are frozen dataclasses
whose fields are their parameters, so equal probes share one key and run once per grade.
"""

from __future__ import annotations

import abc
import json
import shlex
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from labkit.transports.base import CommandResult

PROBES: dict[str, type[Probe]] = {}


@dataclass(frozen=True)
class Probe(abc.ABC):
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
    def parse(self, result: CommandResult) -> Any:
        """Turn the command's result into data; raise ProbeError if it makes no sense."""


def q(value: str) -> str:
    """Quote one shell argument."""
    return shlex.quote(value)


def probe_from_dict(data: dict[str, Any]) -> Probe:
    """Rebuild a probe from ``{"probe": name, "args": {...}}`` (test cases, recordings)."""
    cls = PROBES[data["probe"]]
    return cls(**data.get("args", {}))
