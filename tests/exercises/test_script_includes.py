"""Shared snippets of the exercise scripts (``exercises/_shared/<name>.sh``): a script's line
``# labkit-include: <name>`` is replaced by the snippet's text before ``run_script`` sends it.

A snippet is found in the course folders in the order exercises are (a teacher's folder
first, then labkit's own); bad names, missing snippets and a snippet that includes another
are clear ``ExerciseError``s naming the script and the snippet. Every shipped script, with its
snippets in, is valid POSIX sh (dash parses it), and the snippets folder is no exercise.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import exercises
from labkit.errors import ExerciseError
from labkit.host import Host
from labkit.settings import override

SHIPPED_SCRIPTS = sorted(p for p in (exercises.SHIPPED / "exercises").rglob("*.sh")
                         if exercises.SHARED not in p.parts)
SHIPPED_SNIPPETS = sorted((exercises.SHIPPED / "exercises" / exercises.SHARED).glob("*.sh"))
DIRECTIVE = re.compile(r"^# labkit-include: (\S+)$", re.MULTILINE)


@pytest.fixture
def course(tmp_path: Path) -> Iterator[Path]:
    """A teacher's course folder (graders/, exercises/_shared/), searched before labkit's."""
    root = tmp_path / "course"
    (root / "graders").mkdir(parents=True)
    (root / "exercises" / exercises.SHARED).mkdir(parents=True)
    with override(course_dir=root):
        yield root


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_script_runs_with_its_snippet_and_the_exported_parameters(
        course: Path, workdir: Path) -> None:
    _write(course / "exercises" / exercises.SHARED / "greet.sh",
           "# greet WHO: say hello to WHO in $WORKDIR/greeting (reads WORKDIR).\n"
           "greet() { printf 'hello, %s\\n' \"$1\" > \"$WORKDIR/greeting\"; }\n")
    script = _write(course / "exercises" / "mine" / "solution.sh",
                    "set -eu\n# labkit-include: greet.sh\ngreet ana\ncat \"$WORKDIR/greeting\"\n")
    sent = exercises.script_text(script).decode()
    assert "labkit-include" not in sent
    assert "greet() { printf 'hello, %s\\n'" in sent  # the snippet's backslashes kept
    spec = exercises.load("qemu-img-basics")
    with Host("local://") as host:
        result = exercises.run_script(host, script, spec, {"workdir": str(workdir)})
    assert result.ok, result.tail()
    assert result.stdout == "hello, ana\n"
    assert (workdir / "greeting").read_text() == "hello, ana\n"


def test_a_teachers_snippet_comes_before_labkits_own(course: Path) -> None:
    shipped = exercises.SHIPPED / "exercises" / exercises.SHARED / "iscsi.sh"
    assert exercises.snippet("iscsi.sh") == shipped
    own = _write(course / "exercises" / exercises.SHARED / "iscsi.sh", "iscsi_login() { :; }\n")
    assert exercises.snippet("iscsi.sh") == own
    script = _write(course / "exercises" / "mine" / "solution.sh",
                    "# labkit-include: iscsi.sh\n# labkit-include: container.sh\n")
    sent = exercises.script_text(script).decode()
    assert sent.startswith("iscsi_login() { :; }\n")  # the teacher's
    assert "container_start()" in sent  # only labkit's has it


@pytest.mark.parametrize("name", ["../greet.sh", "sub/greet.sh", "/etc/passwd", "..", ""])
def test_a_snippet_name_with_a_slash_or_dots_is_refused(course: Path, name: str) -> None:
    _write(course / "exercises" / "greet.sh", "greet() { :; }\n")
    script = _write(course / "exercises" / "mine" / "solution.sh",
                    f"set -eu\n# labkit-include: {name}\n")
    with pytest.raises(ExerciseError) as error:
        exercises.script_text(script)
    assert str(script) in str(error.value) and repr(name) in str(error.value)
    assert "not a snippet name" in str(error.value)


def test_a_missing_snippet_names_the_script_and_the_snippet(course: Path,
                                                             workdir: Path) -> None:
    script = _write(course / "exercises" / "mine" / "solution.sh",
                    f"touch {workdir}/ran\n# labkit-include: nowhere.sh\n")
    with pytest.raises(ExerciseError) as error, Host("local://") as host:
        exercises.run_script(host, script, exercises.load("qemu-img-basics"))
    message = str(error.value)
    assert str(script) in message and "'nowhere.sh'" in message
    assert str(course / "exercises" / exercises.SHARED) in message  # where it looked
    assert str(exercises.SHIPPED / "exercises" / exercises.SHARED) in message
    assert not (workdir / "ran").exists(), "the script ran without its snippet"


def test_one_level_of_include_only(course: Path) -> None:
    shared = course / "exercises" / exercises.SHARED
    _write(shared / "inner.sh", "inner() { :; }\n")
    outer = _write(shared / "outer.sh", "# labkit-include: inner.sh\nouter() { inner; }\n")
    script = _write(course / "exercises" / "mine" / "solution.sh", "# labkit-include: outer.sh\n")
    with pytest.raises(ExerciseError) as error:
        exercises.script_text(script)
    message = str(error.value)
    assert str(outer) in message and str(script) in message and "one level" in message


def test_every_shipped_script_with_its_snippets_is_posix_sh() -> None:
    included: set[str] = set()
    for script in SHIPPED_SCRIPTS:
        raw = script.read_text(encoding="utf-8")
        sent = exercises.script_text(script).decode()
        names = DIRECTIVE.findall(raw)
        included.update(names)
        assert not DIRECTIVE.search(sent), script
        for name in names:
            body = (exercises.SHIPPED / "exercises" / exercises.SHARED / name).read_text()
            assert body.rstrip("\n") in sent, (script, name)
        parsed = subprocess.run(["dash", "-n"], input=sent, capture_output=True, text=True,
                                timeout=30)
        assert parsed.returncode == 0, f"{script}: {parsed.stderr}"
    assert included == {p.name for p in SHIPPED_SNIPPETS}, "a shipped snippet nobody includes"


def test_every_shipped_snippet_says_what_its_functions_do_and_read() -> None:
    assert SHIPPED_SNIPPETS
    for path in SHIPPED_SNIPPETS:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert not DIRECTIVE.search("\n".join(lines)), f"{path} includes another snippet"
        for number, line in enumerate(lines):
            if (found := re.match(r"^([a-z_]+)\(\)", line)) is not None:
                comment = "\n".join(lines[max(0, number - 6):number])
                assert f"# {found.group(1)}" in comment, f"{path}: {found.group(1)} undocumented"


def test_the_snippets_folder_is_no_exercise() -> None:
    """Exercises are found by their graders (and notebooks by notebook.yaml): none is the
    snippets folder's."""
    assert exercises.SHARED not in exercises.names()
    with pytest.raises(ExerciseError, match="unknown exercise"):
        exercises.load(exercises.SHARED)
    folder = exercises.SHIPPED / "exercises" / exercises.SHARED
    assert not list(folder.glob("*.yaml")) and not list(folder.glob("*.ipynb"))


def test_a_fault_knows_its_undo_scripts_by_role() -> None:
    """``Fault.undo``: ``<fault>.undo.<role>.sh`` per role and ``<fault>.undo.sh`` for the
    first role, in the spec's role order; a fault without one has none."""
    from labkit import exercises

    faults = {f.name: f for f in exercises.faults("capstone")}
    folder = exercises.exercise_dir("capstone") / "faults"
    for fault in faults.values():
        assert fault.undo, fault.name
        for role, script in fault.undo:
            assert script.parent == folder and script.name.startswith(f"{fault.name}.undo")
            assert script.name in (f"{fault.name}.undo.{role}.sh", f"{fault.name}.undo.sh")
    plain = {f.name: f for f in exercises.faults("lvm-thin-full")}
    assert any(f.undo and f.undo[0][1].name.endswith(".undo.sh") for f in plain.values())
    assert [f for f in exercises.faults("intro-container") if f.undo] == []
