"""A teacher's course: graders built on other graders, and an nbgrader course folder.

**A grader built on another one.** A repair drill grades the same state as its topic's
exercise, so its grader YAML names that exercise instead of repeating its checks::

    exercise: repair-lvm
    base: lvm-basics          # every check, role, parameter and variant of lvm-basics
    topic: lvm
    title: {gl: "…", en: "…"}
    params: {workdir: /root/lab/repair-lvm}   # optional: other values for the base's params

``load_grader(path)`` reads either kind; ``base_of(name)`` says whose solution and fault scripts
an exercise uses (its own, or its base's when it has none).

**A course folder for nbgrader.** ``init_course(folder, names, roster)`` writes::

    FOLDER/nbgrader_config.py       course root, the kernel below, the exchange in FOLDER
    FOLDER/source/<name>/<name>.ipynb   each exercise's nbgrader source notebook
    FOLDER/labkit-roster.csv        columns id,first_name,last_name,email,lang,host (and the
                                    teacher's roster's param:NAME columns) — labkit reads it
                                    (labkit.rosters) and so does ``nbgrader db student
                                    import`` (it ignores the columns it does not know)
    FOLDER/jupyter/kernels/python3/kernel.json
                                    the "python3" kernel autograde runs the notebooks with:
                                    this Python, which can import labkit (nbgrader_config.py
                                    puts FOLDER/jupyter first on JUPYTER_PATH)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labkit.checks.spec import ExerciseSpec, load_spec, load_yaml_text
from labkit.errors import ExerciseError, RosterError, UsageError

__all__ = ["ROSTER_COLUMNS", "base_of", "init_course", "load_grader"]

ROSTER_COLUMNS = ("id", "first_name", "last_name", "email", "lang", "host")


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None  # load_spec gives the precise error


def load_grader(path: str | Path) -> ExerciseSpec:
    """A grader YAML, plain or built on a ``base:`` exercise (see the module docstring;
    ``labkit.checks.spec.load_spec`` reads both)."""
    return load_spec(Path(path))


def base_of(name: str) -> str:
    """The exercise whose scripts (solution, faults) ``name`` uses: its base, if its grader
    has one and its own folder has no solution script; else itself."""
    from labkit import content

    path = content.grader_path(name)
    data = _read_yaml(path) if path.exists() else None
    if isinstance(data, dict) and data.get("base"):
        from labkit import content

        own = content.exercise_dir(name)
        if not any(own.glob("solution*.sh")):
            return str(data["base"])
    return name


# -- the nbgrader course folder ------------------------------------------------------------------
NBGRADER_CONFIG = '''\
# nbgrader settings of this course, written by `labkit course init`.
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The kernel autograde runs the notebooks with: {python}, which imports labkit.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [str(HERE / "jupyter"), *filter(None, [os.environ.get("JUPYTER_PATH")])])
# The labkit hidden test cells find the roster here (labkit-roster.csv) and grade each
# student's own lab host; their messages follow the roster's lang column.
os.environ.setdefault("LABKIT_ROSTER", str(HERE / "labkit-roster.csv"))

c = get_config()  # noqa: F821 (nbgrader's config loader provides it)
# A submission whose lab host could not be read, or was not the student's own machine, is
# flagged for manual grading (formgrader) instead of a silent 0.
from nbgrader.converters.autograde import Autograde  # noqa: E402
from labkit.notebook.nbgrader_manual import FlagManualGrades  # noqa: E402

c.Autograde.autograde_preprocessors = [*Autograde.autograde_preprocessors.default(),
                                       FlagManualGrades]
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_assignments = [{assignments}]
c.Exchange.root = str(HERE / "exchange")
c.ExecutePreprocessor.kernel_name = "python3"
# A lab host can be slow to answer: give each cell time (labkit bounds its own commands).
c.ExecutePreprocessor.timeout = 600
'''


def _roster_text(source: str | Path | None) -> str:
    """The course roster: the teacher's (any format labkit reads) in the shared columns, or
    a header and one example row to fill in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    if source is None:
        writer.writerow(["ana", "Ana", "Pereira", "ana@example.org", "gl",
                         "ssh://root@10.0.1.5:22?key=~/.ssh/lab_ed25519"])
        return out.getvalue()
    from labkit import rosters

    students = list(rosters.load(source))
    params = list(dict.fromkeys(k for s in students for k in s.params))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*ROSTER_COLUMNS, *(f"param:{k}" for k in params)])
    for student in students:
        if len(student.hosts) != 1:
            raise RosterError(f"{student.source}: {student.id} has several hosts; the course "
                              "roster holds one host per student (write it by hand)")
        first, _, last = student.name.partition(" ")
        writer.writerow([student.id, first, last, student.email, student.lang or "",
                         next(iter(student.hosts.values())),
                         *(student.params.get(k, "") for k in params)])
    return out.getvalue()


def init_course(folder: str | Path, names: Sequence[str] | None = None, *,
                roster: str | Path | None = None, course_id: str | None = None) -> list[Path]:
    """Write an nbgrader course folder (see the module docstring); return the files written.

    ``names``: the exercises (default: every exercise with an nbgrader notebook). Nothing that
    exists is overwritten."""
    from labkit import content

    root = Path(folder).expanduser().resolve()
    every = [n for n in content.names() if (content.exercise_dir(n) / f"{n}.ipynb").exists()]
    chosen = list(names or every)
    unknown = [n for n in chosen if n not in every]
    if unknown:
        raise ExerciseError(f"{unknown[0]!r} has no nbgrader notebook (exercises with one: "
                          f"{', '.join(every)})")
    for name in ("nbgrader_config.py", "labkit-roster.csv", "source"):
        if (root / name).exists():
            raise UsageError(f"{root} already has {name}: not overwritten (use an empty "
                              "folder)")
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name in chosen:
        target = root / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content.exercise_dir(name) / f"{name}.ipynb", target)
        written.append(target)
    config = root / "nbgrader_config.py"
    assignments = ", ".join(f"dict(name={n!r})" for n in chosen)
    config.write_text(NBGRADER_CONFIG.format(python=sys.executable,
                                             course_id=course_id or root.name,
                                             assignments=assignments), encoding="utf-8")
    written.append(config)
    roster_path = root / "labkit-roster.csv"
    roster_path.write_text(_roster_text(roster), encoding="utf-8")
    written.append(roster_path)
    kernel = root / "jupyter" / "kernels" / "python3" / "kernel.json"
    kernel.parent.mkdir(parents=True, exist_ok=True)
    kernel.write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (labkit)", "language": "python",
        "metadata": {"debugger": True}}, indent=1) + "\n", encoding="utf-8")
    written.append(kernel)
    return written
