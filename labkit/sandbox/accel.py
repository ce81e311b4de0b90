"""Choose QEMU's accelerator: KVM when it really works here, TCG otherwise.

``/dev/kvm`` existing is not enough (nested KVM may fail at the first instructions with
"KVM internal error ... emulation failure"), so KVM is *tried*: the lab kernel boots under
KVM with no root device, which must end in a kernel panic (and QEMU exiting, thanks to
``-no-reboot``) within seconds. The verdict is cached per host boot in
``$LABKIT_CACHE/accel.json``. ``LABKIT_ACCEL=kvm|tcg`` overrides the probe.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from labkit.errors import SandboxError
from labkit.sandbox.paths import cache_dir
from labkit.settings import current

ACCELS = ("kvm", "tcg")
PROBE_TIMEOUT = 8.0


def probe_argv(kernel: Path, serial_log: Path) -> list[str]:
    """The QEMU command that tries KVM: boot ``kernel`` to a deliberate panic."""
    return [
        "qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-machine", "q35",
        "-m", "256", "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot",
        "-serial", f"file:{serial_log}",
        "-kernel", str(kernel),
        "-append", "console=ttyS0 root=/dev/labkit-none panic=-1 loglevel=4",
    ]


def probe_verdict(returncode: int | None, serial: str, stderr: str) -> bool:
    """Whether a finished probe run shows a working KVM.

    ``returncode`` is None when the probe had to be killed (a hung KVM guest).
    """
    if returncode is None or returncode != 0:
        return False
    if "KVM internal error" in stderr or "emulation failure" in stderr:
        return False
    return "Kernel panic" in serial or "VFS:" in serial


def probe_kvm(kernel: Path, timeout: float = PROBE_TIMEOUT) -> tuple[bool, str]:
    """Try KVM for real; return (works, why). A broken nested KVM hangs silently, so the
    probe is stopped (by its PID) once ``timeout`` passes without a kernel panic."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False, "/dev/kvm is missing or not accessible"
    with tempfile.TemporaryDirectory(prefix="labkit-kvm-") as tmp:
        serial = Path(tmp) / "serial.log"
        errlog = Path(tmp) / "stderr.log"
        with errlog.open("w") as err:
            try:
                proc = subprocess.Popen(probe_argv(kernel, serial), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=err)
            except FileNotFoundError:
                raise SandboxError("qemu-system-x86_64 is not installed") from None
        code: int | None = None
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                code = proc.poll()
                if code is not None:
                    break
                text = serial.read_text(errors="replace") if serial.exists() else ""
                if "Kernel panic" in text:
                    code = proc.wait(timeout=5)
                    break
                time.sleep(0.2)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        text = serial.read_text(errors="replace") if serial.exists() else ""
        stderr = errlog.read_text(errors="replace")
    works = probe_verdict(code, text, stderr)
    if works:
        return True, "KVM booted the probe kernel"
    first = stderr.strip().splitlines()[:1]
    reason = first[0] if first else ("probe hung" if code is None else f"probe exit {code}")
    return False, f"KVM does not work here ({reason})"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


def choose_accel(override: str | None, kvm_works: Callable[[], tuple[bool, str]]
                 ) -> tuple[str, str]:
    """Pure decision: (accelerator, reason) from an override and a KVM probe."""
    if override and override not in ("", "auto"):
        if override not in ACCELS:
            raise SandboxError(f"LABKIT_ACCEL must be kvm, tcg or auto, not {override!r}")
        return override, f"forced by LABKIT_ACCEL={override}"
    works, why = kvm_works()
    return ("kvm", why) if works else ("tcg", why + "; using TCG (slower)")


def detect_accel(kernel: Path) -> tuple[str, str]:
    """The accelerator labs use, and why. Probes KVM at most once per host boot."""
    override = current().accel
    cache = cache_dir() / "accel.json"

    def cached_probe() -> tuple[bool, str]:
        key = _boot_id()
        try:
            data = json.loads(cache.read_text())
            if data.get("boot_id") == key:
                return bool(data["kvm"]), str(data["why"])
        except (OSError, ValueError, KeyError):
            pass
        works, why = probe_kvm(kernel)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"boot_id": key, "kvm": works, "why": why}))
        tmp.replace(cache)
        return works, why

    return choose_accel(override, cached_probe)
