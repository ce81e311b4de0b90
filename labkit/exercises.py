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

Steps several scripts share are shell functions in snippets, one folder of the course layout::

    exercises/_shared/<snippet>.sh     functions, each with a comment saying what it does and
                                       which variables it reads; not an exercise (no grader)

A script takes one in with a line of its own, ``# labkit-include: <snippet>.sh``, which
:func:`run_script` replaces with the snippet's text before sending the script (``script_text``).
The snippet is looked up in the course folders in the order exercises are (a teacher's folder
first, then labkit's own: :func:`labkit.content.course_dirs`); a name with ``/`` or ``..``, or
a snippet in none of them, is an :class:`~labkit.errors.ExerciseError` naming the script and
the snippet. One level only: a snippet includes no other.

Only the grader a command names is read and validated (``load``), once per process.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from labkit.content import SHIPPED, course_dirs, exercise_dir, grader_path, names, require
from labkit.errors import ExerciseError, ScriptFailed

if TYPE_CHECKING:
    from labkit.checks.spec import ExerciseSpec
    from labkit.host import Host
    from labkit.transports.base import CommandResult

__all__ = ["SHARED", "SHIPPED", "Fault", "exercise_dir", "fault", "faults", "grader_path", "load",
           "names", "run_script", "run_scripts", "script_text", "setup_scripts", "snippet",
           "solution", "solution_scripts"]

_FAILS = re.compile(r"^#\s*labkit-fails:\s*(.*)$", re.MULTILINE)
_INCLUDE = re.compile(r"^#[ \t]*labkit-include:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
#: The folder of the shared snippets in a course folder's ``exercises/``.
SHARED = "_shared"
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
    #: ``faults/<name>.undo[.<role>].sh``, (role, script) in role order: what puts the
    #: solution's state back (none: run the solution again)
    undo: tuple[tuple[str, Path], ...] = ()


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
                         tuple(scripts), tuple(_by_role(folder, f"{stem}.undo", roles))))
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

    text = script_text(script)  # a missing snippet stops here, before the host is asked
    values = spec_params(spec, params)
    exports = " ".join(f"{k.upper()}={shlex.quote(v)}" for k, v in sorted(values.items()))
    command = f"export LC_ALL=C {exports}; exec /bin/sh -s"
    return host.transport.run(command, timeout=timeout, stdin=text)


def snippet(name: str, script: Path | str = "a script") -> Path:
    """The shared snippet ``exercises/_shared/<name>`` of the first course folder holding it
    (the order exercises are found in); ``script`` (the one including it) names the errors."""
    if not name or "/" in name or ".." in name:
        raise ExerciseError(f"{script}: {name!r} in '# labkit-include:' is not a snippet name "
                            f"(a file in exercises/{SHARED}/, without '/' or '..')")
    folders = [d / "exercises" / SHARED for d in course_dirs()]
    found = next((f / name for f in folders if (f / name).is_file()), None)
    if found is None:
        where = " or ".join(str(f) for f in folders)
        raise ExerciseError(f"{script}: the snippet {name!r} it includes is not in {where}")
    return found


def script_text(script: Path) -> bytes:
    """What :func:`run_script` sends: the script, each ``# labkit-include: <name>`` line
    replaced by that snippet's text (one level: a snippet includes no other)."""
    raw = script.read_bytes()
    if b"labkit-include:" not in raw:
        return raw

    def included(match: re.Match[str]) -> str:
        path = snippet(match.group(1), script)
        body = path.read_text(encoding="utf-8")
        if (nested := _INCLUDE.search(body)) is not None:
            raise ExerciseError(f"{path}: a snippet cannot include another "
                                f"({nested.group(0)!r}, taken in by {script}); "
                                "one level of include only")
        return body.rstrip("\n")

    return _INCLUDE.sub(included, raw.decode("utf-8")).encode("utf-8")
