"""The class layer without VMs: roster reading, hypervisor URIs -> jump hosts, lab names, host
URLs through the jump host, and the allocation others read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labkit.errors import RosterError, UsageError
from labkit.sandbox.libvirt_class import (
    ALLOCATION,
    allocated_hosts,
    class_dir,
    class_id,
    hypervisor_ref,
    lab_name,
    read_hypervisors_file,
    read_students,
    vm_url,
)
from labkit.transports import parse_url


def test_roster_needs_only_ids(tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("# 2026 class\nStudent ID;Name\nalice;Alice Álvarez\nbob;\n")
    assert read_students(roster) == [("alice", "Alice Álvarez"), ("bob", "")]
    roster.write_text("student_id\nalice\nalice\n")
    with pytest.raises(RosterError, match=":3: student alice appears twice"):
        read_students(roster)
    roster.write_text("name\nAlice\n")
    with pytest.raises(RosterError, match="no student id column"):
        read_students(roster)


def test_remote_uri_gives_the_jump_host(tmp_path: Path) -> None:
    ref = hypervisor_ref("qemu+ssh://labkit@hv3:2222/system?keyfile=/keys/hv&no_verify=1",
                         tmp_path / "kh")
    assert ref.where == "qemu+ssh://labkit@hv3:2222/system"
    jump = parse_url(ref.jump or "")
    assert (jump.user, jump.host, jump.port) == ("labkit", "hv3", 2222)
    assert jump.options == {"key": "/keys/hv", "known_hosts": str(tmp_path / "kh")}
    assert hypervisor_ref("qemu:///session").jump is None
    with pytest.raises(UsageError, match="qemu\\+ssh"):
        hypervisor_ref("qemu+tcp://hv3/system")


def test_vm_url_goes_through_the_jump(tmp_path: Path) -> None:
    jump = "ssh://labkit@hv3:22?key=/keys/hv"
    url = parse_url(vm_url(42001, tmp_path / "k", tmp_path / "kh", jump))
    assert (url.host, url.port) == ("127.0.0.1", 42001)
    assert url.options["via"] == jump


def test_lab_names_are_safe_and_distinct() -> None:
    names = {lab_name("c-1a2b3c", s) for s in ("alice", "a.lice", "alice@uni.gal", "al ice")}
    assert len(names) == 4
    assert all(n.replace("-", "").replace(".", "").replace("_", "").isalnum() for n in names)


def test_hypervisors_file(tmp_path: Path) -> None:
    path = tmp_path / "hv.txt"
    path.write_text("# hosts\nqemu+ssh://labkit@hv1/system\n\nqemu+ssh://labkit@hv2/system # b\n")
    assert read_hypervisors_file(path) == ["qemu+ssh://labkit@hv1/system",
                                           "qemu+ssh://labkit@hv2/system"]


def test_allocated_hosts_reads_what_class_up_wrote(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABKIT_HOME", str(tmp_path / "home"))
    roster = tmp_path / "class.csv"
    assert allocated_hosts(roster) is None
    folder = class_dir(roster)
    assert folder.name == class_id(roster) and class_id(roster).startswith("class-")
    folder.mkdir(parents=True)
    (folder / ALLOCATION).write_text(json.dumps({"students": {
        "alice": {"hosts": {"host": "ssh://root@127.0.0.1:42000"}}}}))
    assert allocated_hosts(roster) == {"alice": {"host": "ssh://root@127.0.0.1:42000"}}
