"""Rosters: student id -> host URLs (+ parameters, language); every error names file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from labkit import rosters
from labkit.errors import RosterError
from labkit.transports import parse_url


def load_roster(path: Path) -> dict[str, dict[str, str]]:
    return rosters.load(path).urls()


def read_roster(path: Path) -> dict[str, rosters.Student]:
    return {s.id: s for s in rosters.load(path)}


URL = "ssh://root@10.0.0.11:22?key=/srv/lab_key"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_a_full_roster(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "# course 2025\n"
        "\n"
        "student_id, host, server, lang, param:workdir, param:qemu-img-snapshots:workdir\n"
        f"alice,{URL},,gl,,\n"
        "  # a commented-out student\n"
        "bob,local://,ssh://root@10.0.0.12:2222,en,/root/bob,/root/bob-snap\n"
    ))
    entries = read_roster(path)
    assert list(entries) == ["alice", "bob"]
    alice, bob = entries["alice"], entries["bob"]
    assert alice.hosts == {"host": URL} and alice.lang == "gl" and alice.source.endswith(":4")
    assert alice.params == {} and alice.params_for("qemu-img-basics") == {}
    assert bob.hosts == {"host": "local://", "server": "ssh://root@10.0.0.12:2222"}
    assert bob.source.endswith(":6")
    assert bob.params_for("qemu-img-basics") == {"workdir": "/root/bob"}
    assert bob.params_for("qemu-img-snapshots") == {"workdir": "/root/bob-snap"}
    assert load_roster(path) == {"alice": {"host": URL}, "bob": bob.hosts}


def test_spreadsheet_exports_bom_and_semicolons(tmp_path: Path) -> None:
    path = _write(tmp_path, "student_id;host\r\nalice;local://\r\n", encoding="utf-8-sig")
    assert load_roster(path) == {"alice": {"host": "local://"}}


def test_relative_key_paths_are_relative_to_the_roster(tmp_path: Path) -> None:
    path = _write(tmp_path, "student_id,host\n"
                            "alice,ssh://root@10.0.0.11:22?key=keys/lab&known_hosts=kh&timeout=5\n"
                            "bob,ssh://root@10.0.0.12?key=~/.ssh/lab\n")
    roster = load_roster(path)
    alice = parse_url(roster["alice"]["host"])
    assert alice.options == {"key": str(tmp_path.resolve() / "keys" / "lab"),
                             "known_hosts": str(tmp_path.resolve() / "kh"), "timeout": "5"}
    assert roster["bob"]["host"] == "ssh://root@10.0.0.12?key=~/.ssh/lab"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "the roster is empty"),
    ("# only a comment\n\n", 1, "the roster is empty"),
    ("alice,local://\n", 1, "header starting with 'student_id'"),
    ("student_id,host,host\n", 1, "column 'host' appears twice"),
    ("student_id,Host Name\n", 1, "bad column 'Host Name'"),
    ("student_id,host,param:\n", 1, "bad column 'param:'"),
    ("student_id,host,param:a:b:c\n", 1, "bad column 'param:a:b:c'"),
    ("student_id,lang,param:workdir\n", 1, "no host column"),
    ("student_id,host\nalice,local://,extra\n", 2, "expected 2 fields like the header, found 3"),
    ("student_id,host,lang\nalice,local://\n", 2, "expected 3 fields"),
    ("student_id,host\nal ice,local://\n", 2, "bad student id 'al ice'"),
    ("student_id,host\n../etc,local://\n", 2, "bad student id '../etc'"),
    ("student_id,host\nali*,local://\n", 2, "bad student id 'ali*'"),
    ("student_id,host\nalice,10.0.0.11\n", 2, "student 'alice', column 'host': not a host URL"),
    ("student_id,host\nalice,ftp://x\n", 2, "unknown scheme 'ftp'"),
    ("student_id,host\nalice,ssh://root@h:99999\n", 2, "bad port"),
    ("student_id,host\nalice,ssh://h?pasword=x\n", 2, "unknown option 'pasword'"),
    ("student_id,host,server\n\nalice,,\n", 3, "student 'alice' has no host URL"),
    ("student_id,host,lang\nalice,local://,es\n", 2, "unknown language 'es'"),
    ("student_id,host\nalice,local://\nbob,local://\n\nalice,local://\n", 5,
     "duplicate student id 'alice' (first on line 2)"),
])
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RosterError) as info:
        read_roster(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match=r"missing\.csv: cannot read the roster"):
        load_roster(tmp_path / "missing.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("student_id,host\nnúñez,local://\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        load_roster(path)


def test_roster_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="roster is empty"):
        load_roster(_write(tmp_path, ""))
