"""Capture probe cases from the real tools inside a sandbox VM:
``.venv/bin/python tests/probes/capture_vm.py LAB [NAME…]`` (LAB: a running ``storage`` lab).

Like ``capture.py``, but the setup and the probe run on the lab's ``server`` VM over SSH
(LVM, NFS and iSCSI need a kernel and disks of their own). Each setup first undoes what the
earlier ones left (``CLEAN``), in a fresh temp dir on the VM. The case's ``dir`` is written as
``vm:<that dir>``, so the local ``test_live`` knows not to replay it here; the sandbox test
``tests/storage/test_vm_cases.py`` re-captures these cases from a fresh VM instead.
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


def main(lab: str, names: list[str]) -> None:
    from labkit.sandbox import lab_hosts
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
