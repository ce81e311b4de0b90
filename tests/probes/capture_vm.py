"""Capture probe cases from the real tools inside a sandbox VM:
``.venv/bin/python tests/probes/capture_vm.py LAB [NAME…]`` (LAB: a running ``storage`` lab).

Like ``capture.py``, but the setup and the probe run on the lab's ``server`` VM over SSH
(LVM, NFS and iSCSI need a kernel and disks of their own). Each setup first undoes what the
earlier ones left (``CLEAN``), in a fresh temp dir on the VM. The case's ``dir`` is written as
``vm:<that dir>``, so the local ``test_live`` knows not to replay it here; the sandbox test
``tests/storage/test_vm_cases.py`` re-captures these cases from a fresh VM instead.

``capture_vm.py LAB --solved [exercise | probe/case …]``: the NFS and iSCSI cases (``SOLVED``),
captured on both VMs after running the exercise's solution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _cases import CASES_DIR, as_json, make_probe

from labkit.errors import ProbeError
from labkit.host import Host
from labkit.transports.base import CommandResult

#: Only ever on a labkit sandbox VM: its initiator name says so.
GUARD = ("grep -q '^InitiatorName=iqn.2024-01.lab.labkit:' /etc/iscsi/initiatorname.iscsi "
         "|| { echo 'labkit: VM-only probe case, not run here' >&2; exit 3; }")
CLEAN = """
if [ -f /etc/lvm/lvm.conf.labkit-orig ]; then mv /etc/lvm/lvm.conf.labkit-orig /etc/lvm/lvm.conf; fi
umount /srv/lv 2>/dev/null || true
sed -i '\\#^/dev/vgt/#d' /etc/fstab
vgremove -qq -ff -y vgt >/dev/null 2>&1 || true
pvremove -qq -ff -y /dev/vdb /dev/vdc /dev/vdd /dev/vde >/dev/null 2>&1 || true
wipefs -qa /dev/vdb /dev/vdc /dev/vdd /dev/vde
"""
VG4 = ("pvcreate -q /dev/vdb /dev/vdc /dev/vdd /dev/vde\n"
       "vgcreate -q vgt /dev/vdb /dev/vdc /dev/vdd\n")
ADVANCED = VG4 + """
lvcreate -q -y --type raid1 -m 1 -n database -L 16M vgt
lvcreate -q -y -i 3 -n templates -L 24M vgt
lvcreate -q -y -s -n database-sn -L 8M vgt/database
lvcreate -q -y -T -L 20M vgt/pool
lvcreate -q -y -T -V 100M -n ftpserver vgt/pool
"""
MOUNTED = VG4 + """
lvcreate -q -y -n web -L 24M vgt
mkfs.ext4 -q /dev/vgt/web
mkdir -p /srv/lv
mount /dev/vgt/web /srv/lv
echo '/dev/vgt/web /srv/lv ext4 defaults 0 2' >> /etc/fstab
"""

# (probe, case name, args, setup)
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("lvm.report", "empty", {}, "true"),
    ("lvm.report", "advanced", {}, ADVANCED),
    ("lvm.report", "snapshot-invalid", {}, VG4 + """
lvcreate -q -y -n data -L 24M vgt
lvcreate -q -y -s -n data-sn -L 4M vgt/data
lvchange -q --monitor n vgt/data-sn
dd if=/dev/urandom of=/dev/vgt/data bs=1M count=8 oflag=direct status=none
"""),
    ("lvm.report", "pvmove-replaced", {}, VG4 + """
lvcreate -q -y -n data -L 8M vgt
vgextend -q vgt /dev/vde
pvmove -q /dev/vdb /dev/vde
vgreduce -q vgt /dev/vdb
"""),
    ("lvm.config", "defaults", {}, "true"),
    ("lvm.config", "autoextend", {},
     "cp /etc/lvm/lvm.conf /etc/lvm/lvm.conf.labkit-orig\n"
     "sed -i 's/^\\(\\s*\\)# snapshot_autoextend_threshold = 100/"
     "\\1snapshot_autoextend_threshold = 70/' /etc/lvm/lvm.conf"),
    ("blockdev.ext4", "ext4", {"device": "/dev/vgt/web"}, MOUNTED),
    ("blockdev.ext4", "no-fs", {"device": "/dev/vgt/raw"},
     VG4 + "lvcreate -q -y -n raw -L 8M vgt"),
    ("blockdev.ext4", "missing", {"device": "/dev/vgt/nothing"}, "true"),
    ("blockdev.mounts", "lv-mounted", {}, MOUNTED),
    ("blockdev.fstab", "lv-at-boot", {}, MOUNTED),
    ("blockdev.lsblk", "lab-disks", {}, "true"),
    ("blockdev.path", "lv-link", {"path": "/dev/vgt/web"}, MOUNTED),
    ("blockdev.path", "missing", {"path": "/dev/nothing-here"}, "true"),
]


def capture(host: Host, probe_name: str, args: dict[str, Any], setup: str) -> dict[str, Any]:
    case: dict[str, Any] = {"probe": probe_name, "args": args, "setup": setup}
    made = host.transport.run("mktemp -d /tmp/labkit-probe-XXXXXXXX", timeout=30)
    directory = made.stdout.strip()
    script = f"set -eu\n{GUARD}\ncd {directory}\n{CLEAN}\n{setup}\n"
    done = host.transport.run("export LC_ALL=C; exec /bin/sh -s", timeout=600,
                              stdin=script.encode())
    if not done.ok:
        raise RuntimeError(f"setup of {probe_name} failed: {done.tail()}")
    probe = make_probe(case, directory)
    raw = host.transport.run(f"cd {directory}; export LC_ALL=C; {probe.command()}",
                             timeout=probe.timeout)
    result = CommandResult(probe.command(), raw.exit_code, raw.stdout, raw.stderr)
    case.update(dir=f"vm:{directory}", command=result.command, exit_code=result.exit_code,
                stdout=result.stdout, stderr=result.stderr)
    try:
        case["expected"] = as_json(probe.parse(result))
    except ProbeError:
        case["expected"] = None
        case["raises"] = "ProbeError"
    return case


#: NFS and iSCSI cases need both VMs and a whole exercise set up: (probe, case, args, role,
#: commands run after the exercise's solution, on that role's host). ``--solved`` runs each
#: exercise's solution once, then captures its cases in order (later ones may break things).
SOLVED: dict[str, list[tuple[str, str, dict[str, Any], str, str]]] = {
    "nfs-exports": [
        ("nfs.exports_file", "solved", {}, "server", ""),
        ("nfs.exportfs", "solved", {}, "server", ""),
        ("nfs.write_test", "squashed", {"directory": "/mnt/share"}, "client", ""),
        ("nfs.write_test", "read-only", {"directory": "/mnt/ro"}, "client", ""),
        ("nfs.write_test", "not-a-directory", {"directory": "/mnt/nothing"}, "client", ""),
        ("nfs.write_test", "stale", {"directory": "/mnt/share"}, "client",
         "# on the server: the shared folder was replaced by a new one"),
        ("nfs.exportfs", "stopped", {}, "server", "systemctl stop nfs-server"),
    ],
    "iscsi-target": [
        ("iscsi.live", "solved", {}, "server", ""),
        ("iscsi.saveconfig", "solved", {}, "server", ""),
        ("iscsi.units", "solved", {}, "server", ""),
        ("iscsi.sessions", "solved", {}, "client", ""),
        ("iscsi.nodes", "solved", {}, "client", ""),
        ("iscsi.live", "no-chap", {}, "server",
         "targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/"
         "iqn.2024-01.lab.labkit:client set auth userid=\n"
         "targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/"
         "iqn.2024-01.lab.labkit:client set auth password="),
        ("iscsi.saveconfig", "missing", {}, "server",
         "mv /etc/rtslib-fb-target/saveconfig.json /root/saveconfig.json.labkit"),
        ("iscsi.units", "disabled", {}, "server", "systemctl disable -q rtslib-fb-targetctl"),
    ],
}
#: Commands a SOLVED case needs on the other host first (the NFS stale handle).
BEFORE = {("nfs.write_test", "stale"): (
    "server", "rm -rf /srv/share.old; exportfs -ua; umount /srv/nfs/share; "
              "mv /srv/share /srv/share.old; mkdir -m 1777 /srv/share; "
              "mount --bind /srv/share /srv/nfs/share; exportfs -ra; exportfs -f")}


def capture_solved(lab: str, names: list[str]) -> None:
    from labkit import exercises
    from labkit.sandbox import lab_hosts

    urls = lab_hosts(lab)
    for exercise, cases in SOLVED.items():
        wanted = [c for c in cases if not names or f"{c[0]}/{c[1]}" in names
                  or exercise in names]
        if not wanted:
            continue
        spec = exercises.load(exercise)
        hosts = {role: Host(urls[role]) for role in spec.roles}
        exercises.run_scripts(hosts, exercises.solution_scripts(exercise), spec, timeout=900)
        for probe_name, name, args, role, setup in wanted:
            before = BEFORE.get((probe_name, name))
            if before:
                hosts[before[0]].transport.run(before[1], timeout=120)
            host = hosts[role]
            if setup and not setup.startswith("#"):
                done = host.transport.run(setup, timeout=120)
                if not done.ok:
                    raise RuntimeError(f"setup of {probe_name}/{name} failed: {done.tail()}")
            probe = make_probe({"probe": probe_name, "args": args}, "")
            raw = host.transport.run(f"export LC_ALL=C; {probe.command()}",
                                     timeout=probe.timeout)
            result = CommandResult(probe.command(), raw.exit_code, raw.stdout, raw.stderr)
            case: dict[str, Any] = {
                "probe": probe_name, "args": args,
                "setup": f"exercise {exercise}: solution, then on {role}: {setup or '-'}"
                         + (f"; first on {before[0]}: {before[1]}" if before else ""),
                "dir": f"vm:{role}", "command": result.command, "exit_code": result.exit_code,
                "stdout": result.stdout, "stderr": result.stderr}
            try:
                case["expected"] = as_json(probe.parse(result))
            except ProbeError:
                case["expected"] = None
                case["raises"] = "ProbeError"
            path = CASES_DIR / probe_name / f"{name}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print(f"{path.relative_to(CASES_DIR)}: exit {case['exit_code']}", flush=True)


def main(lab: str, names: list[str]) -> None:
    from labkit.sandbox import lab_hosts
    if "--solved" in names:
        capture_solved(lab, [n for n in names if n != "--solved"])
        return
    with Host(lab_hosts(lab)["server"]) as host:
        for probe_name, name, args, setup in CASES:
            if names and name not in names and f"{probe_name}/{name}" not in names:
                continue
            case = capture(host, probe_name, args, setup)
            path = CASES_DIR / probe_name / f"{name}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print(f"{path.relative_to(CASES_DIR)}: exit {case['exit_code']}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
