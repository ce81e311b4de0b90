"""Exercises: their grader specs, solution scripts and fault scripts.

Where they are (labkit's own, shipped as package data, and a teacher's course folder) is
:mod:`labkit.content`. Layout of one course folder::

    graders/<exercise>.yaml            expected configuration (see labkit.checks.spec)
    exercises/<exercise>/solution.sh   brings a clean host to full marks
    exercises/<exercise>/faults/*.sh   applied after the solution, each breaks one thing;
                                       a line ``# labkit-fails: id id ...`` lists the checks
                                       it must fail (all others must still pass or be blocked)

Exercises with several roles (server, client…) split a script by role:
``solution.server.sh`` + ``solution.client.sh``, ``faults/<name>.server.sh`` …; they run in
the order of the spec's ``roles``. A plain ``solution.sh`` / ``<name>.sh`` is the first role's.

Scripts are POSIX sh, run on the lab host as ``/bin/sh -s`` with every spec parameter exported
in upper case (``workdir`` -> ``$WORKDIR``).

Only the grader a command names is read and validated (``load``), once per process.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from labkit.content import SHIPPED, exercise_dir, grader_path, names, require
from labkit.errors import ExerciseError, ScriptFailed

if TYPE_CHECKING:
    from labkit.checks.spec import ExerciseSpec
    from labkit.host import Host
    from labkit.transports.base import CommandResult

__all__ = ["SHIPPED", "Fault", "exercise_dir", "fault", "faults", "grader_path", "load", "names",
           "run_script", "run_scripts", "setup_scripts", "solution", "solution_scripts"]

_FAILS = re.compile(r"^#\s*labkit-fails:\s*(.*)$", re.MULTILINE)
_LOADED: dict[tuple[Path, int], ExerciseSpec] = {}


def load(name: str) -> ExerciseSpec:
    """The validated spec of exercise ``name`` (read once per process while unchanged)."""
    from labkit.course import load_grader  # a grader may be built on a base exercise

    path = require(name)
    key = (path, path.stat().st_mtime_ns)
    if key not in _LOADED:
        _LOADED[key] = load_grader(path)
    return _LOADED[key]


@dataclass(frozen=True)
class Fault:
    name: str
    path: Path                            # the first script (the only one for one role)
    fails: frozenset[str]
    scripts: tuple[tuple[str, Path], ...] = ()   # (role, script) in the spec's role order


def _by_role(folder: Path, stem: str, roles: list[str]) -> list[tuple[str, Path]]:
    """``stem.sh`` (first role) and ``stem.<role>.sh`` scripts, in role order."""
    found = []
    for index, role in enumerate(roles):
        for candidate in ([folder / f"{stem}.{role}.sh"]
                          + ([folder / f"{stem}.sh"] if index == 0 else [])):
            if candidate.exists():
                found.append((role, candidate))
                break
    return found


def _roles(name: str) -> list[str]:
    return load(name).roles if grader_path(name).exists() else ["host"]


def solution_scripts(name: str) -> list[tuple[str, Path]]:
    """(role, script) of the exercise's solution, in role order."""
    from labkit.course import base_of  # a repair drill uses its base exercise's scripts

    name = base_of(name)
    scripts = _by_role(exercise_dir(name), "solution", _roles(name))
    if not scripts:
        raise ExerciseError(f"exercise {name!r} has no solution script "
                            f"({exercise_dir(name)}/solution.sh)")
    return scripts


def setup_scripts(name: str) -> list[tuple[str, Path]]:
    """(role, script) that make an HA drill's broken starting state on a fresh lab, in role
    order: ``exercises/<name>/<drill.setup>[.<role>].sh`` ([] if ``name`` is no such drill).
    ``labkit break`` runs these for a drill instead of its solution and faults."""
    spec = load(name)
    if spec.drill is None:
        return []
    return _by_role(exercise_dir(name), spec.drill.setup, spec.roles)


def solution(name: str) -> Path:
    """The solution script of the exercise's first role."""
    return solution_scripts(name)[0][1]


def faults(name: str) -> list[Fault]:
    from labkit.course import base_of  # a repair drill uses its base exercise's scripts

    name = base_of(name)
    roles = _roles(name)
    folder = exercise_dir(name) / "faults"
    stems = sorted({p.name.split(".")[0] for p in folder.glob("*.sh")})
    out = []
    for stem in stems:
        scripts = _by_role(folder, stem, roles)
        if not scripts:
            raise ExerciseError(f"{folder}/{stem}.*.sh: no script for any role of {name}")
        match = next((m for _, p in scripts
                      if (m := _FAILS.search(p.read_text(encoding="utf-8")))), None)
        if not match:
            raise ExerciseError(f"{scripts[0][1]}: no '# labkit-fails: …' line")
        out.append(Fault(stem, scripts[0][1], frozenset(match.group(1).split()),
                         tuple(scripts)))
    return out


def fault(name: str, fault_name: str) -> Fault:
    for f in faults(name):
        if f.name == fault_name:
            return f
    known = ", ".join(f.name for f in faults(name)) or "none"
    raise ExerciseError(f"exercise {name!r} has no fault {fault_name!r} (known: {known})")


def run_scripts(hosts: dict[str, Host], scripts: list[tuple[str, Path]], spec: ExerciseSpec,
                params: dict[str, str] | None = None, timeout: float = 300.0) -> None:
    """Run (role, script) pairs in order on the role's host; raise ExerciseError on failure."""
    for role, script in scripts:
        if role not in hosts:
            raise ExerciseError(f"no host for role {role!r} to run {script.name}")
        result = run_script(hosts[role], script, spec, params, timeout=timeout)
        if not result.ok:
            raise ScriptFailed(f"{script.name} failed on the {role} host", result)


def run_script(host: Host, script: Path, spec: ExerciseSpec,
               params: dict[str, str] | None = None, timeout: float = 120.0) -> CommandResult:
    """Run a solution or fault script on ``host`` with the spec's parameters exported."""
    from labkit.checks.spec import spec_params

    values = spec_params(spec, params)
    exports = " ".join(f"{k.upper()}={shlex.quote(v)}" for k, v in sorted(values.items()))
    command = f"export LC_ALL=C {exports}; exec /bin/sh -s"
    return host.transport.run(command, timeout=timeout, stdin=script.read_bytes())
