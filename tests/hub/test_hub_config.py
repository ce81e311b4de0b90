"""labkit's JupyterHub side without a hub: the generated config, and what a student's server
gets from the allocation (their own key and hosts; the jump with their own key)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from labkit.errors import LabkitError
from labkit.hub import student_environment
from labkit.hub.config import write_config
from labkit.rosters import load
from labkit.sandbox.libvirt_class import ALLOCATION, class_dir
from labkit.transports import parse_url


@pytest.fixture
def class_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An allocation as ``class up`` writes it (two students, storage topology)."""
    monkeypatch.setenv("LABKIT_HOME", str(tmp_path / "home"))
    roster = tmp_path / "class.csv"
    roster.write_text("student_id\nalice\nbob\n")
    folder = class_dir(roster)
    (folder / "keys").mkdir(parents=True)
    students = {}
    for n, sid in enumerate(("alice", "bob")):
        key = folder / "keys" / sid
        key.write_text(f"PRIVATE KEY OF {sid}\n")
        key.with_suffix(".pub").write_text(f"ssh-ed25519 AAAA{sid} c\n")
        students[sid] = {
            "hypervisor": "qemu+ssh://hv@10.0.0.5:22/system?keyfile=/teacher/hv_key",
            "jump": "ssh://hv@10.0.0.5:22?key=/teacher/hv_key&known_hosts=/t/kh",
            "lab": f"c-{sid}", "key": str(key),
            "ports": {"server": 42000 + 2 * n, "client": 42001 + 2 * n},
            "roles": {"server": "server", "client": "client"},
            "hosts": {"server": "teacher-url", "client": "teacher-url"},
        }
    (folder / ALLOCATION).write_text(json.dumps({"students": students}))
    (folder / "known_hosts").write_text("[127.0.0.1]:42000 ssh-ed25519 AAAAhost\n")
    return roster


def test_student_environment_gives_only_their_own_lab(class_up: Path, tmp_path: Path) -> None:
    home = tmp_path / "bob-home"
    home.mkdir()
    env = student_environment(class_up, "bob", home)
    assert env["LABKIT_STUDENT"] == "bob"
    key = home / ".labkit" / "lab_key"
    assert key.read_text() == "PRIVATE KEY OF bob\n"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    roster = load(env["LABKIT_ROSTER"])
    assert [s.id for s in roster] == ["bob"]
    urls = {role: parse_url(u) for role, u in roster[0].hosts.items()}
    assert {r: u.port for r, u in urls.items()} == {"server": 42002, "client": 42003}
    for url in urls.values():
        assert url.options["key"] == str(key)
        jump = parse_url(url.options["via"])
        assert (jump.user, jump.host) == ("hv", "10.0.0.5")
        assert jump.options["key"] == str(key), "the student jumps with their own key"
        assert "/teacher/" not in url.text
    assert parse_url(env["LABKIT_HOST"]).port == 42002


def test_student_without_a_lab_is_a_clear_error(class_up: Path, tmp_path: Path) -> None:
    with pytest.raises(LabkitError, match="carol has no lab"):
        student_environment(class_up, "carol", tmp_path)


def test_generated_config_sets_up_the_hub(class_up: Path, tmp_path: Path) -> None:
    from traitlets.config import Config

    path = write_config(tmp_path / "jupyterhub_config.py", roster=class_up, port=8123,
                        dummy_password="pw", singleuser="/opt/labkit-hub/bin/x",
                        users=["alice", "bob"], state_dir=str(tmp_path))
    c = Config()
    exec(compile(path.read_text(), str(path), "exec"), {"c": c})
    assert c.JupyterHub.port == 8123
    assert c.JupyterHub.spawner_class.endswith("LocalProcessSpawner")
    assert c.Spawner.environment["LABKIT_CLASS_ROSTER"] == str(class_up.resolve())
    assert c.Spawner.cmd == ["/opt/labkit-hub/bin/x"]
    assert c.Authenticator.allowed_users == {"alice", "bob"}
    from labkit.hub import pre_spawn_hook

    assert c.Spawner.pre_spawn_hook is pre_spawn_hook
