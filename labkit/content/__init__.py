"""The course content: where each exercise's grader and scripts are.

Two places, searched in this order:

1. a teacher's course folder, if one is set (``--exercises DIR``, ``LABKIT_COURSE_DIR``;
   see :mod:`labkit.settings`);
2. the exercises shipped with labkit, package data in this folder (in the source tree,
   ``graders`` and ``exercises`` here are links to the repository's top-level folders).

Each place has the same layout::

    graders/<exercise>.yaml            expected configuration (labkit.checks.spec)
    exercises/<exercise>/              solution.sh, faults/*.sh, the nbgrader source notebook
    exercises/_shared/<name>.sh        shell functions scripts take in (labkit.exercises)

An exercise is found where its grader is; a course folder's exercise replaces a shipped one
of the same name. Only paths here: reading and validating a grader is :mod:`labkit.exercises`.
"""

from __future__ import annotations

from pathlib import Path

from labkit.errors import ExerciseError
from labkit.settings import current

SHIPPED = Path(__file__).resolve().parent

__all__ = ["SHIPPED", "course_dirs", "exercise_dir", "grader_path", "names", "require"]


def course_dirs() -> list[Path]:
    """The folders searched for exercises, first match wins."""
    own = current().course_dir
    return [own, SHIPPED] if own is not None and own != SHIPPED else [SHIPPED]


def _home(name: str) -> Path | None:
    return next((d for d in course_dirs() if (d / "graders" / f"{name}.yaml").is_file()), None)


def grader_path(name: str) -> Path:
    """The grader YAML of exercise ``name`` (where it would be, if there is none)."""
    if "/" in name or name.startswith("."):
        raise ExerciseError(f"not an exercise name: {name!r}")
    return ((_home(name) or course_dirs()[0]) / "graders" / f"{name}.yaml").resolve()


def exercise_dir(name: str) -> Path:
    """The folder of exercise ``name``'s scripts and notebook (next to its grader)."""
    return (_home(name) or course_dirs()[0]) / "exercises" / name


def names() -> list[str]:
    """Every exercise name, sorted."""
    return sorted({p.stem for d in course_dirs() for p in (d / "graders").glob("*.yaml")})


def require(name: str) -> Path:
    """The grader of ``name``; ExerciseError naming the known exercises if it has none."""
    path = grader_path(name)
    if not path.is_file():
        known = ", ".join(names()) or "none"
        where = " or ".join(str(d / "graders") for d in course_dirs())
        raise ExerciseError(f"unknown exercise {name!r} (known: {known}; graders in {where})")
    return path
