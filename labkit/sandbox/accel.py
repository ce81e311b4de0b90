"""Choose QEMU's accelerator: KVM when it really works here, TCG otherwise.

``/dev/kvm`` existing is not enough (nested KVM may fail at the first instructions with
"KVM internal error ... emulation failure"), so KVM is *tried*: the lab kernel boots under
KVM with no root device, which must end in a kernel panic (and QEMU exiting, thanks to
``-no-reboot``) within seconds. The verdict is cached per host boot in
``$LABKIT_HOME/accel.json``. ``LABKIT_ACCEL=kvm|tcg`` overrides the probe.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from labkit.errors import SandboxError
from labkit.sandbox.paths import labkit_home

ACCELS = ("kvm", "tcg")
PROBE_TIMEOUT = 20.0


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


def probe_kvm(kernel: Path) -> tuple[bool, str]:
    """Try KVM for real; return (works, why)."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False, "/dev/kvm is missing or not accessible"
    with tempfile.TemporaryDirectory(prefix="labkit-kvm-") as tmp:
        serial = Path(tmp) / "serial.log"
        try:
            proc = subprocess.run(probe_argv(kernel, serial), capture_output=True, text=True,
                                  timeout=PROBE_TIMEOUT, check=False)
            code: int | None = proc.returncode
            stderr = proc.stderr
        except subprocess.TimeoutExpired as exc:
            code = None
            raw = exc.stderr or b""
            stderr = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        except FileNotFoundError:
            raise SandboxError("qemu-system-x86_64 is not installed") from None
        text = serial.read_text(errors="replace") if serial.exists() else ""
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
    override = os.environ.get("LABKIT_ACCEL")
    cache = labkit_home() / "accel.json"

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
