"""Packaging: pyproject.toml and environment.yml name the same dependencies with the same
bounds, and the built wheel works on its own (installed in a fresh venv: it lists and grades
the shipped exercises, and a teacher's course folder)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def _norm(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_norm(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_norm(r) for r in extra}
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    listed = {_norm(d) for d in env["dependencies"] if isinstance(d, str)}
    listed = {(n, v) for n, v in listed if n not in {"python", "pip"}}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            listed |= {_norm(r) for r in item.get("pip", [])}
    assert listed == wanted, f"only in environment.yml: {sorted(listed - wanted)}; " \
                             f"only in pyproject.toml: {sorted(wanted - listed)}"


def test_console_script_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["labkit"] == "labkit.cli:main"


def test_dev_tools_are_declared() -> None:
    """lint-imports (the import contracts) and a setuptools that builds the wheel offline."""
    dev = {_norm(r)[0] for r in tomllib.loads((ROOT / "pyproject.toml").read_text())
           ["project"]["optional-dependencies"]["dev"]}
    assert {"import-linter", "setuptools"} <= dev
    assert "lint-imports" in (ROOT / "scripts" / "run-tests").read_text()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this tree, built and installed with pip into a fresh venv; its
    dependencies come from the test's own environment (no network): a .pth line."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
                    "-q", "-w", str(base / "dist"), str(ROOT)], check=True, timeout=300,
                   cwd=base)
    wheel = next((base / "dist").glob("labkit-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120,
                   env=_clean_env())
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=300, cwd=base,
                   env=_clean_env())
    # Only now (pip must not see this environment's labkit): the dependencies.
    site = next((venv / "lib").glob("python*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "labkit-test-deps.pth").write_text("\n".join(deps) + "\n")
    return venv


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("LABKIT_", "PYTHON", "VIRTUAL_ENV", "PIP_"))}


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "labkit"), *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=_clean_env())


def test_the_installed_wheel_lists_and_grades_the_shipped_exercises(
        installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import labkit.content as c; print(c.SHIPPED)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path,
                           env=_clean_env())
    shipped = Path(where.stdout.strip())
    assert shipped.is_relative_to(installed), "labkit is imported from the installed wheel"
    assert not shipped.joinpath("graders").is_symlink(), "the wheel holds the files"
    snippets = {p.name for p in (ROOT / "exercises" / "_shared").glob("*.sh")}
    assert snippets and snippets == {p.name for p in shipped.glob("exercises/_shared/*.sh")}
    listed = _run(installed, "exercises", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = {e["exercise"] for e in json.loads(listed.stdout)}
    assert names == {p.stem for p in (ROOT / "graders").glob("*.yaml")}
    workdir = tmp_path / "work"
    workdir.mkdir()
    solved = _run(installed, "solve", "qemu-img-basics", "--host", "local://",
                  "--param", f"workdir={workdir}", cwd=tmp_path)
    assert solved.returncode == 0, solved.stderr
    graded = _run(installed, "grade", "qemu-img-basics", "--host", "local://",
                  "--param", f"workdir={workdir}", "--json", cwd=tmp_path)
    report = json.loads(graded.stdout)
    assert graded.returncode == 0 and report["score"] == report["max_score"] > 0, graded.stderr


def test_a_teachers_course_folder_works_with_the_installed_wheel(
        installed: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "graders").mkdir(parents=True)
    (course / "exercises" / "my-disk").mkdir(parents=True)
    (course / "graders" / "my-disk.yaml").write_text(
        (ROOT / "graders" / "qemu-img-basics.yaml").read_text(encoding="utf-8")
        .replace("exercise: qemu-img-basics", "exercise: my-disk", 1), encoding="utf-8")
    listed = _run(installed, "--exercises", str(course), "exercises", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = {e["exercise"] for e in json.loads(listed.stdout)}
    assert {"my-disk", "qemu-img-basics"} <= names
    graded = _run(installed, "--exercises", str(course), "grade", "my-disk", "--host",
                  "local://", "--param", f"workdir={tmp_path / 'empty'}", "--json", cwd=tmp_path)
    report = json.loads(graded.stdout)
    assert report["exercise"] == "my-disk" and report["score"] == 0 and graded.returncode == 1
    missing = _run(installed, "--exercises", str(tmp_path / "nowhere"), "exercises",
                   cwd=tmp_path)
    assert missing.returncode == 2 and "no graders/ folder" in missing.stderr


def test_the_package_reads_no_folder_outside_itself() -> None:
    """Course content is package data (labkit/content): no module climbs out of labkit/."""
    climbing = re.compile(r"__file__\)?(\.resolve\(\))?\.parents?(\[\d\]|(\.parent){1,})")
    for path in (ROOT / "labkit").rglob("*.py"):
        if "content" in path.relative_to(ROOT / "labkit").parts[:1]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = climbing.search(line)
            depth = (found.group(0).count(".parent") + (1 if found and "parents[" in found.group(0)
                     else 0)) if found else 0
            inside = len(path.relative_to(ROOT / "labkit").parts)  # levels up to labkit/
            assert depth <= inside, f"{path.relative_to(ROOT)}:{number} reads outside labkit/"
