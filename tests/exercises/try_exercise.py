"""Developer helper (not a test): ``python tests/exercises/try_exercise.py LAB EXERCISE [--solve]
[FAULT…]`` runs an exercise's solution (``--solve``) on a running storage lab, grades it,
then applies each fault, grades, undoes it and grades again, printing what did not pass."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

from labkit import exercises
from labkit.grading import grade
from labkit.host import Host
from labkit.sandbox import lab_hosts

_spec = importlib.util.spec_from_file_location(
    "storage_tests", Path(__file__).with_name("test_storage_exercises.py"))
assert _spec and _spec.loader
_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tests)


def main(lab: str, name: str, args: list[str]) -> None:
    urls = lab_hosts(lab)
    spec = exercises.load(name)
    hosts = {r: Host(urls.get(r) or urls["server"]) for r in spec.roles}
    if "--solve" in args:
        started = time.time()
        exercises.run_scripts(hosts, exercises.solution_scripts(name), spec, timeout=900)
        print("solution", round(time.time() - started, 1), "s")

    def show(tag: str) -> None:
        started = time.time()
        report = grade(spec, hosts, lang="en")
        print(f"== {tag}: {report.score}/{report.max_score} ({time.time() - started:.1f} s)")
        for c in report.checks:
            if c.status != "passed":
                print("   ", c.id, c.status, c.message)

    show("start")
    wanted = [a for a in args if not a.startswith("--")]
    for fault in exercises.faults(name):
        if wanted and fault.name not in wanted:
            continue
        exercises.run_scripts(hosts, list(fault.scripts), spec)
        show(f"{fault.name} (expects {sorted(fault.fails)})")
        exercises.run_scripts(hosts, list(fault.undo), spec)
        show(f"undo {fault.name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
