"""The qemu-img exercises' checks written for pytest-testinfra, one remote command per check.

The benchmark's point of comparison (benchmarks/bench_grade.py): the SAME checks as
graders/qemu-img-basics.yaml and graders/qemu-img-snapshots.yaml, done the usual testinfra
way. Run it on its own with::

    LABKIT_BENCH_BASICS=/root/lab/qemu-img LABKIT_BENCH_SNAPSHOTS=/root/lab/qemu-img-snap \\
    .venv/bin/pytest benchmarks/testinfra_qemu_img.py \\
        --hosts='paramiko://root@127.0.0.1:2222?ssh_identity_file=KEY'
"""

from __future__ import annotations

import json
import os
import posixpath
from typing import Any

BASICS = os.environ.get("LABKIT_BENCH_BASICS", "/root/lab/qemu-img")
SNAPSHOTS = os.environ.get("LABKIT_BENCH_SNAPSHOTS", "/root/lab/qemu-img-snap")
MiB = 1 << 20
#: First bytes of the image formats the course names (hex); anything else is raw.
MAGIC = {"qcow2": "514649fb", "vmdk": "4b444d56", "vdi": "3c3c3c20", "vhd": "636f6e6563746978"}


def _format(host: Any, path: str) -> str:
    """The format a file's first bytes say (one command); raises if it does not exist."""
    magic = "".join(host.check_output("od -An -tx1 -N8 -- %s", path).split())
    return next((fmt for fmt, head in MAGIC.items() if magic.startswith(head)), "raw")


def _info(host: Any, path: str, fmt: str) -> list[dict[str, Any]]:
    out = host.check_output("qemu-img info -U --output=json --backing-chain -f %s -- %s",
                            fmt, path)
    data = json.loads(out)
    return data if isinstance(data, list) else [data]


def _own_data(host: Any, path: str, fmt: str) -> int:
    """Bytes of data in the image's own layer (depth 0), from ``qemu-img map``."""
    out = host.check_output("qemu-img map -U --output=json -f %s -- %s", fmt, path)
    return sum(e["length"] for e in json.loads(out) if e["data"] and e["depth"] == 0)


# -- qemu-img-basics ---------------------------------------------------------------------------
def test_basics_disk_exists(host: Any) -> None:
    assert host.file(f"{BASICS}/systemdisk.qcow2").is_file


def test_basics_disk_qcow2(host: Any) -> None:
    assert _format(host, f"{BASICS}/systemdisk.qcow2") == "qcow2"


def test_basics_disk_grown(host: Any) -> None:
    assert _info(host, f"{BASICS}/systemdisk.qcow2", "qcow2")[0]["virtual-size"] == 120 * MiB


def test_basics_raw_exists(host: Any) -> None:
    assert host.file(f"{BASICS}/systemrawdisk.raw").is_file


def test_basics_raw_format(host: Any) -> None:
    assert _format(host, f"{BASICS}/systemrawdisk.raw") == "raw"


def test_basics_raw_size(host: Any) -> None:
    assert _info(host, f"{BASICS}/systemrawdisk.raw", "raw")[0]["virtual-size"] == 100 * MiB


def test_basics_small_exists(host: Any) -> None:
    assert host.file(f"{BASICS}/smalldisk.qcow2").is_file


def test_basics_small_shrunk(host: Any) -> None:
    assert _info(host, f"{BASICS}/smalldisk.qcow2", "qcow2")[0]["virtual-size"] == 80 * MiB


# -- qemu-img-snapshots ------------------------------------------------------------------------
def test_snapshots_base_exists(host: Any) -> None:
    assert _format(host, f"{SNAPSHOTS}/base.qcow2") == "qcow2"


def test_snapshots_base_committed(host: Any) -> None:
    assert _own_data(host, f"{SNAPSHOTS}/base.qcow2", "qcow2") >= 4 * MiB


def test_snapshots_snap_exists(host: Any) -> None:
    assert _format(host, f"{SNAPSHOTS}/snapdisk.qcow2") == "qcow2"


def test_snapshots_snap_emptied(host: Any) -> None:
    assert _own_data(host, f"{SNAPSHOTS}/snapdisk.qcow2", "qcow2") == 0


def test_snapshots_new_base_exists(host: Any) -> None:
    assert _format(host, f"{SNAPSHOTS}/neworixe.qcow2") == "qcow2"


def test_snapshots_snap_rebased(host: Any) -> None:
    path = f"{SNAPSHOTS}/snapdisk.qcow2"
    top = _info(host, path, "qcow2")[0]
    backing = top.get("full-backing-filename") or top.get("backing-filename") or ""
    where = posixpath.dirname(path)
    assert posixpath.normpath(posixpath.join(where, backing)) == \
        posixpath.normpath(posixpath.join(where, "neworixe.qcow2"))
    assert top.get("backing-filename-format") == "qcow2"


def test_snapshots_disk_exists(host: Any) -> None:
    assert _format(host, f"{SNAPSHOTS}/disk.qcow2") == "qcow2"


def test_snapshots_disk_independent(host: Any) -> None:
    assert not _info(host, f"{SNAPSHOTS}/disk.qcow2", "qcow2")[0].get("backing-filename")


def test_snapshots_disk_has_data(host: Any) -> None:
    assert _own_data(host, f"{SNAPSHOTS}/disk.qcow2", "qcow2") >= 4 * MiB
