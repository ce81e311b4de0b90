"""Grader specs: the shipped ones load; every mistake names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from labkit.checks.qemu_img import SizeArgs
from labkit.checks.spec import bind, load_spec
from labkit.errors import SpecError

GRADERS = sorted((Path(__file__).resolve().parents[2] / "graders").glob("*.yaml"))

BASE = """\
exercise: demo
topic: qemu-img
title: {gl: "Demo", en: "Demo"}
roles: [host]
params:
  workdir: /root/lab
checks:
  - id: disk-exists
    kind: file.exists
    points: 1
    args: {path: "{workdir}/disk.qcow2"}
    message: {gl: "Existe.", en: "It exists."}
  - id: disk-size
    kind: qemu_img.virtual_size
    requires: [disk-exists]
    points: 2
    args:
      path: "{workdir}/disk.qcow2"
      size: 100M
    message: {gl: "Mide 100 MiB.", en: "It is 100 MiB."}
    hint: {gl: "Usa {workdir}.", en: "Use {workdir}."}
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the only line holding ``marker``."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return lines[0]


def spec_error(tmp_path: Path, text: str) -> tuple[Path, SpecError]:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return path, info.value


def assert_names(path: Path, exc: SpecError, line: int | None, field: str) -> None:
    message = str(exc)
    assert exc.file == str(path)
    assert message.startswith(str(path)), message
    assert exc.line == line, message
    if line is not None:
        assert f"{path}:{line}" in message
    assert exc.field == field, message
    if field:
        assert f"field {field}" in message


@pytest.mark.parametrize("path", GRADERS, ids=[p.stem for p in GRADERS])
def test_shipped_graders_load_and_bind(path: Path) -> None:
    spec = load_spec(path)
    assert spec.exercise == path.stem
    assert spec.max_score > 0
    checks = bind(spec)
    assert [c.spec.id for c in checks] == [c.id for c in spec.checks]
    for check in checks:
        assert "{" not in check.message.gl + check.message.en
        assert check.role in spec.roles


def test_base_loads(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, BASE))
    size = bind(spec)[1]
    assert isinstance(size.args, SizeArgs)
    assert size.args.size == 100 * 1024 * 1024
    assert size.args.path == "/root/lab/disk.qcow2"
    assert size.hint is not None and size.hint.en == "Use /root/lab."


@pytest.mark.parametrize(("broken", "marker"), [
    (BASE.replace("    points: 2\n", "    points: 2\n    bad: : x\n"), "bad: : x"),
    (BASE.replace("    points: 2\n", "\tpoints: 2\n"), "\tpoints: 2"),
    (BASE.replace("    points: 2\n", "    points: 2\n    points: 3\n"), "points: 3"),
], ids=["colon", "tab", "duplicate-key"])
def test_yaml_syntax_error(tmp_path: Path, broken: str, marker: str) -> None:
    path, exc = spec_error(tmp_path, broken)
    assert_names(path, exc, line_of(broken, marker), "")
    assert "not valid YAML" in str(exc)


def test_unclosed_bracket_points_near_it(tmp_path: Path) -> None:
    broken = BASE.replace("roles: [host]", "roles: [host")
    path, exc = spec_error(tmp_path, broken)
    # The parser notices on the next line: either is a fair place to look.
    assert exc.line in (line_of(broken, "roles:"), line_of(broken, "roles:") + 1)
    assert str(exc).startswith(f"{path}:{exc.line}: not valid YAML")


@pytest.mark.parametrize(("broken", "marker", "field", "words"), [
    (BASE.replace("roles: [host]", "roles: [host]\nauthor: me"), "author:", "author",
     "Extra inputs"),
    (BASE.replace("    points: 2\n", "    points: 2\n    weight: 3\n"), "weight:",
     "checks[1].weight", "Extra inputs"),
    (BASE.replace("kind: qemu_img.virtual_size", "kind: qemu_img.sise"), "qemu_img.sise",
     "checks[1].kind", "unknown check kind 'qemu_img.sise'"),
    (BASE.replace("size: 100M", "size: banana"), "size: banana", "checks[1].args.size",
     "not a size: 'banana'"),
    (BASE.replace("size: 100M", "size: 100M\n      colour: red"), "colour:",
     "checks[1].args.colour", "Extra inputs"),
    (BASE.replace("size: 100M", "size: 100M\n      format: qcow3"), "qcow3",
     "checks[1].args.format", "qcow2"),
    (BASE.replace("      size: 100M\n", "").replace("    args:\n", "    args:  # no size\n"),
     "# no size", "checks[1].args.size",
     "Field required"),
    (BASE.replace('args: {path: "{workdir}/disk.qcow2"}', "args: {path: [1]}"), "path: [1]",
     "checks[0].args.path", "string"),
    (BASE.replace("id: disk-size", "id: Disk_Size"), "Disk_Size", "checks[1].id", "pattern"),
    (BASE.replace("points: 2", "points: -2"), "points: -2", "checks[1].points", "0"),
    (BASE.replace('{gl: "Existe.", en: "It exists."}', '{gl: "Existe."}'), "Existe.",
     "checks[0].message.en", "Field required"),
    (BASE.replace("id: disk-size", "id: disk-exists  # again").replace(
        "requires: [disk-exists]", "requires: []"),
     "# again", "checks[1].id", "duplicate check id 'disk-exists'"),
    (BASE.replace("requires: [disk-exists]", "requires: [disk-exist]"), "disk-exist]",
     "checks[1].requires[0]", "requires 'disk-exist'"),
    (BASE.replace("    points: 1\n", "    points: 1\n    requires:\n      - disk-size\n"),
     "- disk-size", "checks[0].requires[0]", "not an earlier check"),
    (BASE.replace("    points: 2\n", "    points: 2\n    role: server\n"), "role: server",
     "checks[1].role", "role 'server'"),
    (BASE.replace('path: "{workdir}/disk.qcow2"\n', 'path: "{workdir}/{name}.qcow2"\n'),
     "{name}", "checks[1].args.path", "unknown parameter {name}"),
    (BASE.replace('"Mide 100 MiB."', '"Mide {size}."'), "{size}", "checks[1].message.gl",
     "unknown parameter {size}"),
    (BASE.replace('"Use {workdir}."', '"Use {dir}."'), "{dir}", "checks[1].hint.en",
     "unknown parameter {dir}"),
], ids=["unknown-top-field", "unknown-check-field", "unknown-kind", "bad-size",
        "unknown-arg", "bad-format", "missing-arg", "arg-type", "bad-id", "negative-points",
        "missing-language", "duplicate-id", "requires-unknown", "requires-later",
        "unknown-role", "unknown-param-args", "unknown-param-message", "unknown-param-hint"])
def test_mistake_names_file_line_and_field(tmp_path: Path, broken: str, marker: str,
                                           field: str, words: str) -> None:
    path, exc = spec_error(tmp_path, broken)
    assert_names(path, exc, line_of(broken, marker), field)
    assert words in str(exc)


def test_not_a_mapping(tmp_path: Path) -> None:
    path, exc = spec_error(tmp_path, "- a\n- b\n")
    assert_names(path, exc, 1, "")


def test_empty_file(tmp_path: Path) -> None:
    path, exc = spec_error(tmp_path, "")
    assert_names(path, exc, 1, "")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"exercise: \xff\n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert_names(path, info.value, None, "")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in str(info.value)


def test_bind_overrides(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, BASE))
    checks = bind(spec, {"workdir": "/home/ana/lab"})
    assert checks[0].args.path == "/home/ana/lab/disk.qcow2"  # type: ignore[attr-defined]
    assert checks[1].hint is not None and checks[1].hint.gl == "Usa /home/ana/lab."
    with pytest.raises(SpecError, match="unknown parameter 'dir'"):
        bind(spec, {"dir": "/x"})
