"""Start-up: a command imports what it needs when it needs it.

Speed itself is measured in benchmarks/bench_grade.py (whole processes); these tests hold the
structure that makes it fast: which modules a command imports, and the fast YAML reader
reading graders exactly as the careful one does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from labkit.checks.spec import load_yaml_text

ROOT = Path(__file__).resolve().parent.parent


def _imported_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120, cwd=ROOT)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_labkit_version_imports_no_layer_below_the_cli() -> None:
    loaded = _imported_after("from labkit.cli.main import build_parser; build_parser()")
    heavy = {"pydantic", "paramiko", "ruamel.yaml", "yaml", "rich", "ipywidgets",
             "labkit.checks", "labkit.probes", "labkit.grading", "labkit.host"}
    assert loaded & heavy == set()


def test_loading_one_grader_imports_only_its_check_kinds() -> None:
    loaded = _imported_after("from labkit import exercises; exercises.load('qemu-img-basics')")
    kinds = {m for m in loaded if m.startswith("labkit.checks.")} - {
        "labkit.checks.base", "labkit.checks.spec"}
    probes = {m for m in loaded if m.startswith("labkit.probes.")}
    assert kinds <= {"labkit.checks.qemu_img", "labkit.checks.files"}, kinds
    assert "labkit.probes.lvm" not in probes and "labkit.probes.net" not in probes
    assert "ruamel.yaml" not in loaded, "a valid grader is read by the fast reader"


def test_a_grade_reads_only_its_own_grader(tmp_path: Path) -> None:
    """``labkit grade`` of one exercise parses that exercise's grader and no other."""
    code = ("import sys, runpy\n"
            "import labkit.checks.spec as spec\n"
            "read = []\n"
            "original = spec.load_yaml_text\n"
            "def counted(text):\n"
            "    read.append(text[:200])\n"
            "    print('READ', len(read), file=sys.stderr, flush=True)\n"
            "    return original(text)\n"
            "spec.load_yaml_text = counted\n"
            "sys.argv = ['labkit', 'grade', 'qemu-img-basics', '--host', 'local://',\n"
            f"            '--param', 'workdir={tmp_path}', '--json']\n"
            "runpy.run_module('labkit.cli', run_name='__main__')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert "READ 1" in out.stderr and "READ 2" not in out.stderr, out.stderr[-2000:]
    assert json.loads(out.stdout)["exercise"] == "qemu-img-basics"


def test_the_registries_still_load_everything_when_asked() -> None:
    loaded = _imported_after("from labkit.checks import KINDS\nfrom labkit.probes import PROBES")
    assert {"labkit.checks.lvm", "labkit.checks.net", "labkit.probes.lvm"} <= loaded


@pytest.mark.parametrize("path", sorted((ROOT / "graders").glob("*.yaml")), ids=lambda p: p.stem)
def test_fast_reader_reads_graders_as_ruamel_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_yaml_text(text) == YAML(typ="safe").load(text)


SCALARS = """\
a: yes
b: no
c: on
d: 0755
e: 1:30
f: 0o17
g: 0x1F
h: 1e3
i: .5
j: ~
k: null
l: True
m: 2001-12-14
n: -3
o: +7
p: .inf
q: 1_000
r: '0755'
s: 0b101
t: 1.5e-3
u: Off
v: 12:30:45
w: 010
x: "{workdir}/disk.qcow2"
y: [1, two, 3.0]
"""


def test_fast_reader_uses_yaml_1_2_scalars_as_ruamel_does() -> None:
    assert load_yaml_text(SCALARS) == dict(YAML(typ="safe").load(SCALARS))


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: [1\n", "a: b: c\n", "- x\n  y: 1\n"])
def test_fast_reader_leaves_doubtful_text_to_the_careful_reader(text: str) -> None:
    assert load_yaml_text(text) is None


# -- what a grade imports and how it reaches its host ---------------------------------------
def test_grade_builds_only_its_own_commands() -> None:
    """``labkit grade`` parses without importing the other command groups."""
    loaded = _imported_after("from labkit.cli.main import build_parser\n"
                             "build_parser('grade').parse_args(['grade', 'x', '--host', 'a'])")
    others = {"labkit.cli.sandbox", "labkit.cli.classroom", "labkit.cli.check_exercise",
              "labkit.cli.gradebook", "labkit.sandbox"}
    assert loaded & others == set()
    full = _imported_after("from labkit.cli.main import build_parser; build_parser()")
    assert "labkit.cli.classroom" in full, "labkit --help lists every command"


def test_a_grade_printed_to_a_pipe_does_not_load_rich(tmp_path: Path) -> None:
    code = ("import sys, json\n"
            "from labkit.cli.main import main\n"
            f"code = main(['--lang', 'en', 'grade', 'qemu-img-basics', '--host', 'local://',\n"
            f"             '--param', 'workdir={tmp_path}'])\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    loaded = set(json.loads(out.stderr.splitlines()[-1]))
    assert not any(m == "rich" or m.startswith("rich.") for m in loaded)
    assert "qemu-img-basics @ local://: Score 0/10" in out.stdout
    assert "disk-exists" in out.stdout and "failed" in out.stdout and "Hint:" in out.stdout


def test_an_early_connection_hands_its_error_to_the_first_collect() -> None:
    from labkit.errors import ConnectError
    from labkit.host import Host
    from labkit.probes.system import MachineId
    from labkit.testing.sshd import free_port

    host = Host(f"ssh://root@127.0.0.1:{free_port()}?key=/nonexistent&timeout=5")
    with host.connect_soon(), pytest.raises(ConnectError):
        host.collect([MachineId()])


@pytest.mark.sshd
def test_an_early_collector_waits_for_its_probes(lab_host: Any, tmp_path: Path) -> None:
    """``connect_soon`` starts the collector before the probes are known; ``collect`` then
    sends them to it: still ONE remote command, and the answer is the probes'."""
    from labkit.host import Host
    from labkit.probes.files import FileStat
    from labkit.probes.system import MachineId

    (tmp_path / "f").write_text("x")
    host = Host(lab_host.url)
    runs: list[str] = []
    real = host.transport.run

    def counted(command: str, **kwargs: Any) -> Any:
        runs.append(command)
        return real(command, **kwargs)

    host.transport.run = counted  # type: ignore[method-assign]
    with host.connect_soon(collect=True):
        found = host.collect([FileStat(str(tmp_path / "f")), MachineId()])
        assert found[FileStat(str(tmp_path / "f")).key].ok
        assert found[MachineId().key].value == Path("/etc/machine-id").read_text().strip()
    assert len(runs) == 1
    unused = Host(lab_host.url).connect_soon(collect=True)
    unused.close()  # a started collector that gets no probes ends at once
    with Host(lab_host.url).connect_soon() as plain:  # only the handshake, for any command
        assert plain.run("echo", "it's").stdout == "it's\n"


def test_several_exercises_read_each_host_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A class run of two exercises opens each student's host once and reads it in ONE
    round trip for the probes of both."""
    from labkit import exercises
    from labkit.grading import batch
    from labkit.rosters.model import Student

    opened: list[str] = []
    runs: list[str] = []
    original = batch._open_host

    def counting(url: str, timeout: float) -> Any:
        host = original(url, timeout)
        opened.append(url)
        real = host.transport.run

        def run(command: str, **kwargs: Any) -> Any:
            runs.append(command)
            return real(command, **kwargs)

        host.transport.run = run  # type: ignore[method-assign]
        return host

    monkeypatch.setattr(batch, "_open_host", counting)
    specs = [exercises.load("qemu-img-basics"), exercises.load("qemu-img-snapshots")]
    students = [Student(f"s{i}", {"host": "local://"},
                        params={f"{s.exercise}:workdir": str(tmp_path / f"{i}-{s.exercise}")
                                for s in specs}) for i in range(2)]
    seen: list[tuple[str, str]] = []
    batches = batch.grade_many_exercises(
        specs, students, workers=1, lang="en",
        on_result=lambda r: seen.append((r.student.id, r.report.exercise)))
    assert [b.exercise for b in batches] == [s.exercise for s in specs]
    assert len(opened) == len(runs) == len(students)  # one connection, one command each
    for b, spec in zip(batches, specs, strict=True):
        assert [r.student.id for r in b.results] == ["s0", "s1"]
        for r in b.results:
            assert r.report.exercise == spec.exercise and r.report.error is None
            assert len(r.report.checks) == len(spec.checks)
            assert str(tmp_path) in r.report.checks[0].message  # its own parameters
            assert {c.status for c in r.report.checks} <= {"failed", "blocked"}
    assert sorted(seen) == sorted((s.id, e.exercise) for s in students for e in specs)


def test_grade_as_the_process_ends_it_with_its_code_and_whole_output(tmp_path: Path) -> None:
    """Run as the process, ``labkit grade`` skips the interpreter's teardown: its exit code
    and every line of its output are still there."""
    labkit = Path(sys.executable).parent / "labkit"
    out = subprocess.run([str(labkit), "--lang", "en", "grade", "qemu-img-basics", "--host",
                          "local://", "--param", f"workdir={tmp_path}"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 1, out.stderr  # graded, below full marks
    assert out.stdout.rstrip().splitlines()[-1].startswith("small-shrunk")
    assert "is the grading machine itself" in out.stderr


def test_reading_a_roster_loads_no_grading_machinery() -> None:
    """``labkit grade … --roster`` opens its first students' connections right after reading
    the roster: reading it imports neither pydantic nor a check kind nor the grader."""
    loaded = _imported_after("from labkit.grading.class_roster import load_roster")
    assert loaded & {"pydantic", "labkit.checks", "labkit.grading.engine",
                     "labkit.exercises"} == set()


def test_the_lazy_grading_names_are_the_functions() -> None:
    """``labkit.grading``'s names load on first use; no submodule shares a name with one
    (an imported submodule would stand where the function should)."""
    import importlib
    import pkgutil

    import labkit.grading

    for module in pkgutil.iter_modules(labkit.grading.__path__):
        importlib.import_module(f"labkit.grading.{module.name}")
    assert callable(labkit.grading.grade) and callable(labkit.grading.grade_url)
    assert labkit.grading.Report.__name__ == "Report"


@pytest.mark.sshd
def test_a_class_grade_connects_before_it_loads_the_checks(lab_host: Any,
                                                           tmp_path: Path) -> None:
    """The console script's class run: the first host's SSH handshake starts before pydantic
    and the check kinds are imported (they load while it waits on the network), and the
    process never imports invoke (paramiko wants it only for ssh_config ``Match exec``)."""
    roster = tmp_path / "roster.csv"
    roster.write_text(f"id,host\ns1,{lab_host.url}\n", encoding="utf-8")
    code = ("import sys, importlib\n"
            "import labkit.host as host\n"
            "cli = importlib.import_module('labkit.cli.main')\n"
            "original = host._Early.__init__\n"
            "def early(self, *args, **kwargs):\n"
            "    print('CONNECT', 'pydantic' in sys.modules, 'labkit.checks' in sys.modules,\n"
            "          file=sys.stderr, flush=True)\n"
            "    original(self, *args, **kwargs)\n"
            "host._Early.__init__ = early\n"
            "sys.argv = ['labkit', '--lang', 'en', 'grade', 'qemu-img-basics', '--roster',\n"
            f"            {str(roster)!r}, '--param', 'workdir={tmp_path}/w',\n"
            f"            '--out', {str(tmp_path / 'out')!r}]\n"
            "def done(code):\n"
            "    print('INVOKE', sys.modules.get('invoke') is not None, file=sys.stderr)\n"
            "    sys.exit(code)\n"
            "cli._exit_now = done\n"
            "cli.main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    lines = [line for line in out.stderr.splitlines() if line.startswith(("CONNECT", "INVOKE"))]
    assert lines and lines[0] == "CONNECT False False", out.stderr[-2000:]
    assert "INVOKE False" in lines, out.stderr[-2000:]
    assert (tmp_path / "out" / "summary.json").is_file(), out.stdout + out.stderr
