"""The warm snapshot: a lab VM booted once and saved, so labs start in seconds.

A cold boot of the image takes ~40-50 s under TCG. So, once per (image, accelerator,
QEMU version, virtual hardware), a VM boots from the image, waits for systemd to finish,
drops its page cache, and is saved with ``savevm labkit-warm`` (an internal snapshot, in
its root overlay and its nine spare disks). That set of ten qcow2 files lives in
``$LABKIT_CACHE/warm/<key>/`` (read-only).

A lab VM then starts from a *copy* of those files with ``-loadvm labkit-warm`` and is
personalised through the guest agent (clock, hostname, SSH key, lab address; see
``labkit-setup`` in :mod:`labkit.sandbox.guest`). ``lab reset`` is a ``loadvm`` of the
same snapshot followed by the same personalisation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from labkit.errors import SandboxError
from labkit.sandbox.guest import KERNEL_CMDLINE
from labkit.sandbox.image import Image, Progress, _print_progress, cache_lock
from labkit.sandbox.paths import cache_dir
from labkit.sandbox.ports import pick_port
from labkit.sandbox.qemu import (
    DISK_COUNT,
    DISK_SIZE,
    HARDWARE_VERSION,
    MEMORY_MB,
    LabLink,
    VMConfig,
    blank_disk_argv,
    overlay_argv,
    qemu_version,
)
from labkit.sandbox.vm import VM, PortInUse, VMFiles

WARM_TAG = "labkit-warm"
TEMPLATE_MAC = "52:54:00:4c:42:ff"
BOOT_TIMEOUT = 600.0


@dataclass(frozen=True)
class WarmSnapshot:
    """The files of a warm snapshot (same names as a lab VM's disks)."""

    path: Path

    @property
    def files(self) -> VMFiles:
        return VMFiles(self.path)

    def ready(self) -> bool:
        return (self.path / "ready").is_file()


def warm_key(image: Image, accel: str, qemu: str) -> str:
    """Everything a snapshot restore depends on, hashed."""
    blob = json.dumps({
        "image": image.id, "accel": accel, "qemu": qemu, "hw": HARDWARE_VERSION,
        "memory": MEMORY_MB, "cmdline": KERNEL_CMDLINE, "disk": DISK_SIZE, "disks": DISK_COUNT,
    }, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def vm_config(files: VMFiles, *, name: str, image: Image, accel: str, port: int,
              lab_mac: str, lab_link: LabLink, loadvm: str | None) -> VMConfig:
    """The configuration of a VM whose files are ``files``."""
    return VMConfig(
        name=name, accel=accel, kernel=image.kernel, initrd=image.initrd,
        root_disk=files.root, extra_disks=files.disks, ssh_port=port,
        qmp_socket=files.qmp, agent_socket=files.agent, serial_log=files.serial_log,
        pidfile=files.pidfile, lab_mac=lab_mac, lab_link=lab_link, loadvm=loadvm,
    )


def start_with_free_port(make: Callable[[int], VMConfig], tries: int = 5) -> tuple[VM, int]:
    """Start a VM on a free SSH port, retrying when the port gets taken meanwhile."""
    used: list[int] = []
    for _ in range(tries):
        port = pick_port(avoid=used)
        vm = VM(make(port))
        try:
            vm.start()
        except PortInUse:
            used.append(port)
            continue
        return vm, port
    raise SandboxError(f"could not find a free SSH port after {tries} tries")


def _run(argv: list[str], timeout: float = 120.0) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise SandboxError(f"{argv[0]} failed: {result.stderr.strip()}")


def copy_disks(source: VMFiles, dest: VMFiles) -> None:
    """Copy a VM's qcow2 files, root and spare disks (reflinked where the filesystem can)."""
    dest.directory.mkdir(parents=True, exist_ok=True)
    for src, dst in zip((source.root, *source.disks), (dest.root, *dest.disks), strict=True):
        dst.unlink(missing_ok=True)
        _run(["cp", "--reflink=auto", "--sparse=always", str(src), str(dst)], timeout=300)
        dst.chmod(0o644)


def ensure_warm(image: Image, accel: str, progress: Progress = _print_progress) -> WarmSnapshot:
    """The warm snapshot for ``image`` under ``accel``; made now if missing (~1-2 min)."""
    key = warm_key(image, accel, qemu_version())
    snap = WarmSnapshot(cache_dir() / "warm" / key)
    if snap.ready():
        return snap
    with cache_lock(f"warm-{key}", timeout=BOOT_TIMEOUT * 2):
        if snap.ready():
            return snap
        snap.path.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=snap.path.parent))
        try:
            _make_warm(work, image, accel, progress)
            if snap.path.exists():
                shutil.rmtree(snap.path)
            work.rename(snap.path)
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return snap


def _make_warm(work: Path, image: Image, accel: str, progress: Progress) -> None:
    files = VMFiles(work)
    _run(overlay_argv(image.disk, files.root))
    for disk in files.disks:
        _run(blank_disk_argv(disk))
    started = time.monotonic()
    progress(f"booting image {image.id} once under {accel.upper()} for the warm snapshot "
             "(about a minute; done once per image)")

    def make(port: int) -> VMConfig:
        return vm_config(files, name=f"labkit-warm-{work.name}", image=image, accel=accel,
                         port=port, lab_mac=TEMPLATE_MAC, lab_link=LabLink(), loadvm=None)

    vm, _port = start_with_free_port(make)
    try:
        with vm.agent(timeout=BOOT_TIMEOUT) as agent:
            booted = agent.exec(["systemctl", "is-system-running", "--wait"], timeout=300)
            state = booted.stdout.strip()
            if state not in ("running", "degraded"):
                raise SandboxError(f"the image did not boot cleanly (systemd: {state or '?'})")
            if state == "degraded":
                failed = agent.exec(["systemctl", "--failed", "--plain", "--no-legend"])
                progress(f"warning: failed units in the image: {failed.stdout.strip()}")
            agent.exec(["sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"], timeout=120)
        progress(f"booted in {time.monotonic() - started:.0f} s; saving the warm snapshot")
        vm.savevm(WARM_TAG)
        vm.stop()
    except BaseException:
        vm.kill()
        raise
    with contextlib.suppress(FileNotFoundError):
        files.serial_log.rename(work / "boot-console.log")
    for disk in (files.root, *files.disks):
        disk.chmod(0o444)
    (work / "image").write_text(image.id + "\n")
    (work / "ready").write_text(f"{time.monotonic() - started:.1f}\n")
    progress(f"warm snapshot ready in {time.monotonic() - started:.0f} s")



def prune_cache(keep: set[str], dry_run: bool = False) -> list[Path]:
    """Remove cached images and warm snapshots whose image id is not in ``keep``.

    Returns what was (or, with ``dry_run``, would be) removed. Work in progress
    (``*.build-*``, ``import-*``, half-made snapshots) is left alone.
    """
    from labkit.sandbox.image import images_dir

    doomed: list[Path] = []
    if images_dir().is_dir():
        for path in sorted(images_dir().iterdir()):
            if path.is_dir() and path.name.isalnum() and path.name not in keep:
                doomed.append(path)
    warm_root = cache_dir() / "warm"
    if warm_root.is_dir():
        qemu = qemu_version()
        wanted = {warm_key(Image(images_dir() / ident), accel, qemu)
                  for ident in keep for accel in ("kvm", "tcg")}
        for path in sorted(warm_root.iterdir()):
            if not path.is_dir() or not path.name.isalnum():
                continue
            marker = path / "image"
            owner = marker.read_text().strip() if marker.is_file() else ""
            if owner not in keep and path.name not in wanted:
                doomed.append(path)
    if not dry_run:
        for path in doomed:
            for sub in path.rglob("*"):
                with contextlib.suppress(OSError):
                    sub.chmod(0o644 if sub.is_file() else 0o755)
            shutil.rmtree(path, ignore_errors=True)
    return doomed
