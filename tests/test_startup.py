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
            "spec.load_yaml_text = lambda text: (read.append(text[:200]), original(text))[1]\n"
            "sys.argv = ['labkit', 'grade', 'qemu-img-basics', '--host', 'local://',\n"
            f"            '--param', 'workdir={tmp_path}', '--json']\n"
            "try:\n"
            "    runpy.run_module('labkit.cli', run_name='__main__')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print('READ', len(read), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert "READ 1" in out.stderr, out.stderr[-2000:]
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
