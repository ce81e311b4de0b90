"""The exercises shipped with labkit: grader specs, solution scripts and fault scripts.

Layout (relative to the project root)::

    graders/<exercise>.yaml            expected configuration (see labkit.checks.spec)
    exercises/<exercise>/solution.sh   brings a clean host to full marks
    exercises/<exercise>/faults/*.sh   applied after the solution, each breaks one thing;
                                       a line ``# labkit-fails: id id ...`` lists the checks
                                       it must fail (all others must still pass or be blocked)

Scripts are POSIX sh, run on the lab host as ``/bin/sh -s`` with every spec parameter exported
in upper case (``workdir`` -> ``$WORKDIR``).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from labkit.checks.spec import ExerciseSpec, load_spec, spec_params
from labkit.errors import ExerciseError
from labkit.host import Host
from labkit.transports.base import CommandResult

_FAILS = re.compile(r"^#\s*labkit-fails:\s*(.*)$", re.MULTILINE)


def project_root() -> Path:
    """The folder holding graders/ and exercises/ ($LABKIT_ROOT, else the source checkout)."""
    env = os.environ.get("LABKIT_ROOT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent


def graders_dir() -> Path:
    return project_root() / "graders"


def exercise_dir(name: str) -> Path:
    return project_root() / "exercises" / name


def names() -> list[str]:
    return sorted(p.stem for p in graders_dir().glob("*.yaml"))


def load(name: str) -> ExerciseSpec:
    """The validated spec of exercise ``name``."""
    path = graders_dir() / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(names()) or "none"
        raise ExerciseError(f"unknown exercise {name!r} (known: {known})")
    return load_spec(path)


@dataclass(frozen=True)
class Fault:
    name: str
    path: Path
    fails: frozenset[str]


def solution(name: str) -> Path:
    path = exercise_dir(name) / "solution.sh"
    if not path.exists():
        raise ExerciseError(f"exercise {name!r} has no solution script ({path})")
    return path


def faults(name: str) -> list[Fault]:
    out = []
    for path in sorted((exercise_dir(name) / "faults").glob("*.sh")):
        match = _FAILS.search(path.read_text(encoding="utf-8"))
        if not match:
            raise ExerciseError(f"{path}: no '# labkit-fails: …' line")
        out.append(Fault(path.stem, path, frozenset(match.group(1).split())))
    return out


def fault(name: str, fault_name: str) -> Fault:
    for f in faults(name):
        if f.name == fault_name:
            return f
    known = ", ".join(f.name for f in faults(name)) or "none"
    raise ExerciseError(f"exercise {name!r} has no fault {fault_name!r} (known: {known})")


def run_script(host: Host, script: Path, spec: ExerciseSpec,
               params: dict[str, str] | None = None, timeout: float = 120.0) -> CommandResult:
    """Run a solution or fault script on ``host`` with the spec's parameters exported."""
    values = spec_params(spec, params)
    exports = " ".join(f"{k.upper()}={shlex.quote(v)}" for k, v in sorted(values.items()))
    command = f"export LC_ALL=C {exports}; exec /bin/sh -s"
    return host.transport.run(command, timeout=timeout, stdin=script.read_bytes())
