"""Rosters for a class: CSV, Ansible INI and YAML inventories; every error names file:line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from labkit import rosters
from labkit.errors import RosterError
from labkit.rosters.ini import read_ini
from labkit.rosters.inventory import expand_hosts
from labkit.rosters.yamlinv import read_yaml

URL = "ssh://root@10.0.0.11:22?key=/srv/lab_key"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


# -- CSV -------------------------------------------------------------------------------------
def test_csv_with_names_emails_roles_params_and_relative_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "class.csv", (
        "# Virtualización 2025\n"
        "Student ID,First name,Last name,Email address,host,host:server,lang,param:workdir,"
        "param:qemu-img-snapshots:workdir,notes\n"
        f"alice,Alice,Álvarez,alice@uni.gal,{URL},,gl,,,\n"
        "bob,Bob,\"Brea, Jr.\",bob@uni.gal,ssh://root@10.0.0.12?key=keys/lab,"
        "ssh://root@10.0.0.13:2222,en,/root/bob,/root/bob-snap,late\n"
    ))
    roster = rosters.load(path)
    assert roster.ids == ["alice", "bob"]
    alice, bob = roster
    assert alice.name == "Alice Álvarez" and alice.email == "alice@uni.gal"
    assert alice.hosts == {"host": URL} and alice.lang == "gl"
    assert alice.source == f"{path}:3"
    assert bob.name == "Bob Brea, Jr."
    assert bob.hosts["host"] == f"ssh://root@10.0.0.12?key={tmp_path.resolve()}/keys/lab"
    assert bob.hosts["server"] == "ssh://root@10.0.0.13:2222"
    assert bob.params_for("qemu-img-basics") == {"workdir": "/root/bob"}
    assert bob.params_for("qemu-img-snapshots") == {"workdir": "/root/bob-snap"}
    assert roster["bob"] is bob


def test_csv_reads_labkit_roster_format_semicolons_and_a_bom(tmp_path: Path) -> None:
    """labkit.roster's format (the nbgrader one) is a subset of this reader's."""
    path = write(tmp_path, "roster.csv",
                 "student_id;host;lang;param:workdir\n"
                 "alice;local://;gl;/tmp/a\n", encoding="utf-8-sig")
    (alice,) = rosters.load(path)
    assert alice.hosts == {"host": "local://"} and alice.params == {"workdir": "/tmp/a"}


#: CSV rosters: (text, line of the error, words in it).
CSV_ERRORS = [
    ("student_id,host\nalice,local://\nbob,local://\nalice,local://\n", 4,
     "duplicate student id 'alice' (first on line 2)"),
    ("student_id,host\nalice,ssh://root@h:99999\n", 2, "bad port"),
    ("student_id,host\nalice,ftp://x\n", 2, "unknown scheme"),
    ("name,host\nAlice,local://\n", 1, "header starting with 'student_id'"),
    ("student_id,name\nalice,Alice\n", 1, "no host column"),
    ("student_id,host\nal ice,local://\n", 2, "bad student id"),
    ("student_id,host\n.hidden,local://\n", 2, "bad student id"),
    ("student_id,host,server\nalice,,\n", 2, "has no host URL"),
    ("student_id,host\nalice,local://,extra\n", 2, "expected 2 fields like the header"),
    ("student_id,host,host\n", 1, "appears twice"),
    ("student_id,host,param:Bad\n", 1, "bad column 'param:Bad'"),
    ("alice,local://\n", 1, "header starting with 'student_id'"),
    ("student_id,Host Name\n", 1, "bad column 'Host Name'"),
    ("student_id,host,lang\nalice,local://,fr\n", 2, "unknown language"),
    ("# nothing\n", 1, "empty"),
]


def test_two_students_on_one_host_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "class.csv",
                 f"student_id,host\nalice,{URL}\nbob,{URL.replace(':22', '')}\n")
    roster = rosters.load(path)
    assert len(roster) == 2
    assert roster.warnings == [f"{path}:3: students 'alice' and 'bob' share the host "
                               "ssh://root@10.0.0.11:22"]


# -- Ansible INI -----------------------------------------------------------------------------
INI = """\
# Virtualización 2025 — lab hosts
; also a comment
teacher-box ansible_host=10.9.0.1

[lab_a]
alumno[01:03] ansible_user=root   # three students, one line
pepe:2222 ansible_host=10.0.1.20 student=p.perez student_name="Pepe Pérez" \
labkit_params="{'vg_name': 'datos'}"

[lab_b]
web[a:b].example.org ansible_port=2200
10.0.3.7 student=maria labkit_role=server student_email=maria@uni.gal
[fe80::1]:2201 student=maria labkit_role=client

[lab_a:vars]
ansible_ssh_private_key_file = keys/lab_ed25519
labkit_param_workdir = /root/lab
ansible_group_priority=5

[course:children]  # every lab group
lab_a
lab_b

[course:vars]
ansible_user=student
labkit_lang=en
"""


def test_ini_inventory(tmp_path: Path) -> None:
    path = write(tmp_path, "inventory/hosts", INI)
    write(tmp_path, "inventory/group_vars/lab_b.yml", "ansible_user: admin\n")
    write(tmp_path, "inventory/host_vars/alumno02.yml",
          'ansible_host: "{{ inventory_hostname }}.lab.local"\n')
    roster = rosters.load(path)
    keys = f"{(tmp_path / 'inventory').resolve()}/keys/lab_ed25519"
    by = {s.id: s for s in roster}
    assert list(by) == ["teacher-box", "alumno01", "alumno02", "alumno03", "p.perez",
                        "weba.example.org", "webb.example.org", "maria"]
    assert by["teacher-box"].hosts == {"host": "ssh://root@10.9.0.1:22"}
    assert by["alumno01"].hosts == {"host": f"ssh://root@alumno01:22?key={keys}"}
    assert by["alumno02"].hosts == {"host": f"ssh://root@alumno02.lab.local:22?key={keys}"}
    assert by["alumno01"].params == {"workdir": "/root/lab"} and by["alumno01"].lang == "en"
    pepe = by["p.perez"]
    assert pepe.name == "Pepe Pérez" and pepe.source == f"{path}:7"
    assert pepe.hosts == {"host": f"ssh://student@10.0.1.20:2222?key={keys}"}
    assert pepe.params == {"vg_name": "datos", "workdir": "/root/lab"}
    assert by["weba.example.org"].hosts == {"host": "ssh://admin@weba.example.org:2200"}
    assert by["maria"].hosts == {"server": "ssh://admin@10.0.3.7:22",
                                 "client": "ssh://admin@[fe80::1]:2201"}
    assert by["maria"].email == "maria@uni.gal"
    assert [s.id for s in rosters.load(path, group="lab_b")] == [
        "weba.example.org", "webb.example.org", "maria"]
    assert len(rosters.load(path, group="course")) == 7


#: Ansible INI inventories: (text, line of the error, words in it).
INI_ERRORS = [
    ("[lab]\npc1\n[ghost:vars]\nx=1\n", 3, "never declared"),
    ("[lab:children]\nghost\n", 2, "never declared"),
    ("[lab]\npc1 ansible_port\n", 2, "expected key=value"),
    ("[lab:vars]\nnot a pair\n[lab]\npc1\n", 2, "expected key=value"),
    ("[lab:hosts_and_more]\n", 1, "unknown type"),
    ("[lab group]\n", 1, "invalid section"),
    ("[lab]\npc[05:1]\n", 2, "begin <= end"),
    ("[lab]\npc[1:10:0]\n", 2, "bad step"),
    ("[lab]\npc1 'unclosed\n", 2, "cannot read the host line"),
    ("[lab]\npc1 student=ana\npc2 student=ana\n", 3, "two hosts for role 'host'"),
    ("[lab]\npc1 ansible_host='{{ lookup(\"env\", \"X\") }}'\n", 2, "only understands"),
    ("[lab]\npc1 ansible_connection=docker\n", 2, "not supported"),
    ("[lab]\npc1 ansible_port=http\n", 2, "bad ansible_port"),
    ("[lab]\nbad/id\n", 2, "bad student id"),
    ("[a:children]\nb\n[b:children]\na\n[a]\n[b]\n", 4, "loop"),
]


def test_host_ranges_expand_like_ansible() -> None:
    assert expand_hosts("pc[01:03]", "x") == ["pc01", "pc02", "pc03"]
    assert expand_hosts("pc[8:10]", "x") == ["pc8", "pc9", "pc10"]
    assert expand_hosts("r[a:c]-[1:2]", "x") == ["ra-1", "ra-2", "rb-1", "rb-2", "rc-1", "rc-2"]
    assert expand_hosts("n[0:20:10]", "x") == ["n0", "n10", "n20"]
    assert expand_hosts("n[:1]", "x") == ["n0", "n1"]


# -- Ansible YAML ----------------------------------------------------------------------------
YAML_INV = """\
all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: /srv/keys/lab
  hosts:
    loose:
  children:
    lab:
      hosts:
        alumno01: {ansible_host: 10.0.1.101}
        alumno02:
          ansible_host: 10.0.1.102
          student_name: "Ana Abad"
        pc[03:04]:
      vars:
        labkit_params: {vg_name: datos, vlan: 42}
    servers:
      hosts:
        ana-srv: {ansible_host: 10.0.2.1, student: alumno02, labkit_role: server}
      children:
        lab:
"""


def test_yaml_inventory(tmp_path: Path) -> None:
    path = write(tmp_path, "class.yml", YAML_INV)
    roster = rosters.load(path)
    by = {s.id: s for s in roster}
    assert list(by) == ["loose", "alumno01", "alumno02", "pc03", "pc04"]
    key = "?key=/srv/keys/lab"
    assert by["alumno01"].hosts == {"host": f"ssh://root@10.0.1.101:22{key}"}
    assert by["alumno02"].hosts == {"host": f"ssh://root@10.0.1.102:22{key}",
                                    "server": f"ssh://root@10.0.2.1:22{key}"}
    assert by["alumno02"].name == "Ana Abad"
    assert by["pc03"].params == {"vg_name": "datos", "vlan": "42"}
    assert by["alumno01"].source == f"{path}:10"
    assert [s.id for s in rosters.load(path, group="servers")] == [
        "alumno01", "alumno02", "pc03", "pc04"]  # servers' children include lab


#: Ansible YAML inventories: (text, line of the error, words in it).
YAML_ERRORS = [
    ("all:\n  host:\n    pc1:\n", 2, "unexpected key 'host'"),
    ("all:\n  hosts:\n    - pc1\n", 2, "must be a mapping"),
    ("all:\n  hosts:\n    pc1: [1, 2]\n", 3, "must be a mapping"),
    ("all:\n  hosts:\n    pc1: {ansible_port: [1]}\n", 3, "single value"),
    ("all:\n  hosts:\n   pc1:\n  - x\n", 4, "not valid YAML"),
    ("- a\n- b\n", 1, "must be a mapping of group names"),
    ("all:\n  children:\n    lab:\n      hosts:\n        pc1: {student: 'a b'}\n", 5,
     "bad student id"),
    ("all:\n  hosts:\n    pc1:\n      ansible_host: !vault |\n"
     "        $ANSIBLE_VAULT;1.1;AES256\n        3031\n", 4, "Ansible Vault"),
]


@pytest.mark.parametrize(("name", "text", "line", "words"),
                         [("class.csv", *case) for case in CSV_ERRORS]
                         + [("hosts.ini", *case) for case in INI_ERRORS]
                         + [("class.yaml", *case) for case in YAML_ERRORS])
def test_errors_name_the_file_and_line(tmp_path: Path, name: str, text: str, line: int,
                                       words: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(RosterError) as info:
        rosters.load(path)
    assert str(info.value).startswith(f"{path}:{line}:"), str(info.value)
    assert words in str(info.value)


def test_ansible_inventory_list_json(tmp_path: Path) -> None:
    """What ``ansible-inventory --list`` prints (e.g. from a dynamic inventory) also reads."""
    data = {"_meta": {"hostvars": {"pc1": {"ansible_host": "10.0.0.1", "student": "ana"},
                                   "pc2": {"ansible_port": 2222}}},
            "all": {"children": ["ungrouped", "lab"]}, "lab": {"hosts": ["pc1", "pc2"]}}
    path = write(tmp_path, "list.json", json.dumps(data))
    roster = rosters.load(path)
    assert roster.urls() == {"ana": {"host": "ssh://root@10.0.0.1:22"},
                             "pc2": {"host": "ssh://root@pc2:2222"}}


@pytest.mark.parametrize(("name", "text", "kind"), [
    ("hosts", "[lab]\npc1\n", "ini"),
    ("hosts", "pc1\npc2\n", "ini"),
    ("hosts", "# class\nall:\n  hosts:\n    pc1:\n", "yaml"),
    ("hosts", "---\nall: {}\n", "yaml"),
    ("class.txt", "student_id,host\nana,local://\n", "csv"),
    ("class.txt", "\ufeffStudent;Host\nana;local://\n", "csv"),
])
def test_the_format_is_detected(tmp_path: Path, name: str, text: str, kind: str) -> None:
    assert rosters.detect_format(Path(name), text) == kind


# -- agreement with Ansible itself (when it is installed; labkit never needs it) -------------
def _ansible_inventory() -> str | None:
    found = shutil.which("ansible-inventory") or str(Path(sys.executable).parent
                                                     / "ansible-inventory")
    return found if Path(found).exists() else None


@pytest.mark.skipif(_ansible_inventory() is None, reason="ansible-core not installed")
@pytest.mark.parametrize(("name", "text"), [("inventory/hosts", INI), ("class.yml", YAML_INV)])
def test_variables_match_ansible_inventory(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path, name, text)
    write(tmp_path, "inventory/group_vars/lab_b.yml", "ansible_user: admin\n")
    out = subprocess.run([str(_ansible_inventory()), "-i", str(path), "--list"],
                         capture_output=True, text=True, timeout=120, check=True,
                         env={"ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"), "LC_ALL": "C.UTF-8",
                              "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    theirs: dict[str, dict[str, Any]] = json.loads(out.stdout)["_meta"]["hostvars"]
    parser = read_ini if name.endswith("hosts") else read_yaml
    inventory = parser(path, text)
    assert sorted(inventory.hosts) == sorted(theirs)
    for host_name, host in inventory.hosts.items():
        ours = {k: v.value for k, v in inventory.host_vars(host).items()
                if k != "ansible_group_priority"}
        expected = {k: v for k, v in theirs[host_name].items() if k != "ansible_group_priority"}
        assert ours == expected, host_name
