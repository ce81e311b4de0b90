"""Re-capture the ``qemu-img info`` answers behind tests/widgets/test_chain.py.

Run from the repository root: ``.venv/bin/python tests/widgets/data/capture_chains.py``.
Each case builds its images in a fresh folder with the real qemu-img, then records the
QemuImgInfo probe's command (relative names: it runs inside that folder) and its answer.
``test_chain.py::test_fixtures_match_this_machines_qemu_img`` does the same live.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from labkit.probes.qemu_img import QemuImgInfo

HERE = Path(__file__).resolve().parent / "chains"
EVIL = "<img src=x onerror=alert(1)>.qcow2"

#: case name -> (shell steps that build the images, the image to read)
CASES: dict[str, tuple[str, str]] = {
    "single": ("qemu-img create -q -f qcow2 systemdisk.qcow2 100M", "systemdisk.qcow2"),
    "overlay": ("qemu-img create -q -f qcow2 base.qcow2 100M && "
                "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snapdisk.qcow2 && "
                "qemu-io -f qcow2 -c 'write -q -P 0x5a 0 4M' snapdisk.qcow2", "snapdisk.qcow2"),
    "three-levels": ("qemu-img create -q -f raw base.raw 64M && "
                     "qemu-img create -q -f qcow2 -b base.raw -F raw mid.qcow2 && "
                     "qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 top.qcow2", "top.qcow2"),
    "wrong-backing-format": ("qemu-img create -q -f qcow2 base.qcow2 1M && "
                             "qemu-img create -q -f qcow2 -b base.qcow2 -F raw bad.qcow2",
                             "bad.qcow2"),
    "backing-missing": ("qemu-img create -q -f qcow2 base.qcow2 100M && "
                        "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snapdisk.qcow2 && "
                        "rm base.qcow2", "snapdisk.qcow2"),
    "missing": ("true", "nothere.qcow2"),
    "evil-name": (f"qemu-img create -q -f qcow2 base.qcow2 100M && "
                  f"qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 '{EVIL}'", EVIL),
}


def capture(name: str, workdir: Path) -> dict[str, object]:
    steps, image = CASES[name]
    subprocess.run(["/bin/sh", "-c", steps], cwd=workdir, check=True, timeout=60)
    command = QemuImgInfo(image).command()
    done = subprocess.run(["/bin/sh", "-c", command], cwd=workdir, capture_output=True,
                          text=True, timeout=60, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    return {"case": name, "path": image, "command": command, "exit_code": done.returncode,
            "stdout": done.stdout, "stderr": done.stderr}


def main() -> int:
    HERE.mkdir(exist_ok=True)
    for name in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            record = capture(name, Path(tmp))
        (HERE / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
        print(f"{name}: exit {record['exit_code']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
