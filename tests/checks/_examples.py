"""Example arguments and probe values for EVERY check kind, one module per topic.

Each ``tests/checks/examples_<topic>.py`` defines

- ``ARGS``: ``{kind: [args, …]}`` — valid YAML ``args`` of each of the topic's check kinds,
  chosen (with the names in the recorded probe cases) so that, over all the values below,
  every verdict of the kind is reached;
- ``VALUES``: ``{probe name: [value, …]}`` — hand-made probe values for shapes no recorded
  case has (a state only a VM, or a broken host, shows). Where possible they are made by
  the real parser from text.

Every recorded probe case (``tests/probes/<probe>/<case>.json``, real tool output) is also
parsed with the real parser and offered as a value of its probe. A new topic adds one
examples module; the generic tests (tests/test_i18n.py, tests/checks/test_check_kinds.py,
tests/test_properties.py) then cover its kinds without further edits.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from labkit.checks import KINDS
from labkit.checks.base import Args, Facts, ProbeUnavailable
from labkit.errors import ProbeError
from labkit.probes import probe_from_dict
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE.parent / "probes"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def topic_modules() -> list[ModuleType]:
    return [importlib.import_module(p.stem) for p in sorted(HERE.glob("examples_*.py"))]


def _merged(attribute: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for module in topic_modules():
        for name, items in getattr(module, attribute, {}).items():
            if attribute == "ARGS":
                assert name not in out, f"{module.__name__}: {name} is also in another module"
            out.setdefault(name, []).extend(items)
    return out


@cache
def all_args() -> dict[str, list[dict[str, Any]]]:
    """``{kind: [raw args, …]}`` of every topic."""
    return _merged("ARGS")


def parsed_args(kind: str) -> list[Args]:
    return [KINDS[kind].Args.model_validate(raw) for raw in all_args()[kind]]


def result(command: str, stdout: str, exit_code: int = 0, stderr: str = "") -> CommandResult:
    return CommandResult(command, exit_code, stdout, stderr)


def recorded(probe: str, case: str) -> Any:
    """The real parse of the recorded case ``tests/probes/<probe>/<case>.json``."""
    data = json.loads((CASES_DIR / probe / f"{case}.json").read_text(encoding="utf-8"))
    p = probe_from_dict({"probe": data["probe"], "args": data["args"]})
    return p.parse(result(data["command"], data["stdout"], data["exit_code"], data["stderr"]))


@cache
def recorded_values() -> dict[str, list[Any]]:
    """Every recorded case that parses, by probe name, as the parser returns it."""
    out: dict[str, list[Any]] = {}
    for path in sorted(CASES_DIR.glob("*/*.json")):
        try:
            value = recorded(path.parent.name, path.stem)
        except ProbeError:
            continue  # a case of output the parser must refuse
        out.setdefault(path.parent.name, []).append(value)
    return out


@cache
def hand_values() -> dict[str, list[Any]]:
    return _merged("VALUES")


def values_for(probe_name: str) -> list[Any]:
    return recorded_values().get(probe_name, []) + hand_values().get(probe_name, [])


def probe_names(kind: str, args: Args) -> list[str]:
    probes: list[Probe[Any]] = [p for ps in KINDS[kind]().probes_by_role(args, "host").values()
                           for p in ps]
    return sorted({p.name for p in probes})


class ByName(Facts):
    """Facts that answer each probe with the value given for its name (any parameters), on
    every role."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__({})
        self.values = values

    def __getitem__(self, probe: Probe[Any]) -> Any:
        if probe.name not in self.values:
            raise ProbeUnavailable(f"{probe.name} was not collected")
        return self.values[probe.name]

    def on(self, role: str) -> Facts:
        return self


def scenarios(kind: str, args: Args, limit: int = 5000) -> Iterator[ByName]:
    """Facts for ``kind``: every combination of the example values of the probes it reads."""
    names = probe_names(kind, args)
    for combo in itertools.islice(itertools.product(*(values_for(n) for n in names)), limit):
        yield ByName(dict(zip(names, combo, strict=True)))
