"""Per-student variants: deterministic, different per student, valid, shown to the student."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest

from labkit import content, exercises, variants
from labkit.errors import SpecError

DECL = {
    "vg_name": {"choice": ["datos", "almacen", "arquivo", "copias", "medios"]},
    "vlan": {"range": [10, 99]},
    "disk_mb": {"range": [100, 300], "step": 20, "show": False},
    "subnet": {"subnet": "10.20.0.0/16", "prefix": 24},
    "gateway": {"template": "{subnet[1]}"},
    "mask": {"template": "{subnet.netmask}", "show": False},
    "suffix": {"token": 5},
    "iqn": {"template": "iqn.2025-01.gal.lab:{student}.{vg_name}-{vlan:03d}"},
    "disk": {"template": "{disk_mb}M", "label": {"gl": "Tamaño do disco", "en": "Disk size"}},
}
STUDENTS = [f"alumno{i:03d}" for i in range(60)]


@pytest.fixture
def declared() -> dict[str, variants.Variant]:
    return variants.parse(DECL)


def test_the_same_student_always_gets_the_same_values(declared: dict[str, variants.Variant]
                                                      ) -> None:
    a = variants.derive(declared, "lvm", "alumno001", salt="course-2025")
    assert a == variants.derive(declared, "lvm", "alumno001", salt="course-2025")
    upper = variants.derive(declared, "lvm", " ALUMNO001 ", salt="course-2025")
    assert upper.pop("iqn") == a.pop("iqn").replace("alumno001", " ALUMNO001 ")
    assert upper == a  # ids compare without case or spaces


def test_students_exercises_and_courses_differ(declared: dict[str, variants.Variant]) -> None:
    values = [variants.derive(declared, "lvm", s, salt="k") for s in STUDENTS]
    for name, floor in (("vg_name", 5), ("vlan", 30), ("subnet", 50), ("suffix", 60)):
        assert len({str(v[name]) for v in values}) >= floor, name
    one = variants.derive(declared, "lvm", "alumno001", salt="k")
    assert one != variants.derive(declared, "nfs", "alumno001", salt="k")
    assert one != variants.derive(declared, "lvm", "alumno001", salt="other-course")


def test_values_are_valid(declared: dict[str, variants.Variant]) -> None:
    parent = ipaddress.ip_network("10.20.0.0/16")
    for student in STUDENTS:
        v = variants.derive(declared, "lvm", student, salt="k")
        assert v["vg_name"] in DECL["vg_name"]["choice"]  # type: ignore[operator]
        assert 10 <= v["vlan"] <= 99
        assert 100 <= v["disk_mb"] <= 300 and v["disk_mb"] % 20 == 0
        assert v["subnet"].prefixlen == 24 and v["subnet"].subnet_of(parent)
        assert v["gateway"] == str(v["subnet"].network_address + 1)
        assert v["mask"] == "255.255.255.0"
        assert len(v["suffix"]) == 5 and set(v["suffix"]) <= set(variants.TOKEN_ALPHABET)
        assert v["iqn"] == f"iqn.2025-01.gal.lab:{student}.{v['vg_name']}-{v['vlan']:03d}"
        assert v["disk"] == f"{v['disk_mb']}M"


@pytest.mark.parametrize(("decl", "words"), [
    ({"x": {"choice": ["a"], "range": [1, 2]}}, "exactly one of"),
    ({"x": {}}, "exactly one of"),
    ({"x": {"range": [9, 1]}}, "must not be larger"),
    ({"x": {"subnet": "10.0.0.0/8"}}, "needs prefix"),
    ({"x": {"subnet": "10.0.0.1/8", "prefix": 16}}, "host bits set"),
    ({"x": {"choice": []}}, "at least 1 item"),
    ({"x": {"template": "{nope}"}}, "not an earlier variant"),
    ({"x": {"template": "{y}"}, "y": {"token": 3}}, "not an earlier variant"),
    ({"x": {"template": "{y.__class__}"}, "y": {"token": 3}}, "only {name}"),
    ({"x": {"token": 3, "colour": "red"}}, "Extra inputs"),
    ({"Bad": {"token": 3}}, "bad variant name"),
])
def test_bad_declarations(decl: dict[str, object], words: str) -> None:
    with pytest.raises(SpecError) as info:
        variants.parse(decl)
    assert words in str(info.value)


SPEC = """\
exercise: lvm-demo
topic: lvm
title: {gl: "LVM", en: "LVM"}
roles: [host]
params:
  vg_name: datos
  workdir: /root/lab
variants:
  vg_name: {choice: [datos, almacen, arquivo], label: {gl: "Grupo de volumes", en: "Volume group"}}
  lv: {template: "{vg_name}-lv", show: false}
checks:
  - id: dir
    kind: file.exists
    args: {path: "{workdir}/{vg_name}", type: directory}
    message: {gl: "Existe.", en: "It exists."}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from labkit.settings import override

    (tmp_path / "graders").mkdir()
    (tmp_path / "graders" / "lvm-demo.yaml").write_text(SPEC)
    monkeypatch.setenv("LABKIT_COURSE_SALT", "virt-2025")
    with override(course_dir=tmp_path):  # whatever an earlier command configured
        yield tmp_path


def test_errors_in_the_yaml_name_the_line(project: Path) -> None:
    path = project / "graders" / "lvm-demo.yaml"
    path.write_text(SPEC.replace('{template: "{vg_name}-lv"', '{template: "{vgname}-lv"'))
    with pytest.raises(SpecError) as info:
        variants.load_declarations(path)
    assert str(info.value).startswith(f"{path}:10 (field variants.lv.template): ")
    assert "{vgname}" in str(info.value)


def test_for_student_shows_the_values_in_a_notebook(project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.delenv("LABKIT_STUDENT", raising=False)
    shown = variants.for_student("lvm-demo", lang="en")
    assert shown.student == "ana" and list(shown.values) == ["vg_name"]  # lv is hidden
    assert shown["vg_name"] in ("datos", "almacen", "arquivo")
    assert str(shown) == f"Volume group  {shown['vg_name']}"
    assert "<th style='text-align:left'>Volume group</th>" in shown._repr_html_()
    hostile = variants.for_student("lvm-demo", "<script>x</script>")
    assert "<script>" not in hostile._repr_html_()
    assert "&lt;script&gt;" in hostile._repr_html_()
    everything = variants.for_student("lvm-demo", "ana", show_all=True)
    assert everything.values["lv"] == f"{shown['vg_name']}-lv"
    # what the grader uses for the same student is what the student was shown (helpers
    # that are not parameters of the spec stay out of the grader's params)
    assert variants.student_params("lvm-demo", "ana") == {"vg_name": shown["vg_name"]}


def test_unknown_exercise(project: Path) -> None:
    with pytest.raises(exercises.ExerciseError):
        variants.for_student("nope", "ana")


def test_collisions_list_students_sharing_a_value(project: Path) -> None:
    shared = variants.collisions("lvm-demo", STUDENTS[:10])
    assert set(shared) == {"vg_name", "lv"}  # 10 students, 3 choices
    assert sum(len(s) for s in shared["vg_name"].values()) == 10


def test_the_salt_comes_from_a_file_when_not_in_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABKIT_COURSE_SALT", raising=False)
    monkeypatch.setenv("LABKIT_HOME", str(tmp_path))
    assert variants.course_salt() == ""
    (tmp_path / "course_salt").write_text("from-file\n")
    assert variants.course_salt() == "from-file"
    assert variants.course_salt("given") == "given"


# -- every shipped exercise: per-student values that make one answer useless to another ----
SHIPPED = ["intro-container", "iscsi-target", "lvm-advanced", "lvm-basics", "net-bridges",
           "net-devices", "net-vlans-nat", "nfs-exports", "qemu-img-basics",
           "qemu-img-snapshots"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_exercise_gives_each_of_60_students_a_set_of_their_own(name: str) -> None:
    from labkit.grading.context import GradingContext

    spec = exercises.load(name)
    declared = variants.load_declarations(content.grader_path(name))
    assert declared, f"{name} declares no variants"
    assert set(spec.variants) == set(declared)
    changed = {k for k, v in declared.items() if k in spec.params}
    assert changed, f"{name}: no variant changes a parameter the checks use"
    assert variants.shared_sets(name, STUDENTS, salt="course-2025") == []
    # the values the checks see differ from the defaults and between students
    first, second = (GradingContext.build(name, student=s, env={}, salt="course-2025",
                                          need_hosts=False).params for s in STUDENTS[:2])
    assert first != second
    assert variants.class_summary(name, STUDENTS, salt="course-2025", lang="en") == (
        "labkit: each of the 60 students has a set of values of their own.")


def test_a_clash_is_listed_and_a_missing_secret_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABKIT_COURSE_SALT", raising=False)
    monkeypatch.setenv("LABKIT_HOME", "/nonexistent-labkit-home")
    summary = variants.class_summary("qemu-img-basics", ["ana", "ANA ", "bea"], lang="en")
    assert "these students share the whole set of values: ana, ANA " in summary
    assert "there is no course secret" in summary


def test_the_secret_changes_every_value() -> None:
    a = variants.student_params("lvm-basics", "ana", salt="one-course")
    b = variants.student_params("lvm-basics", "ana", salt="another-course")
    assert a != b
