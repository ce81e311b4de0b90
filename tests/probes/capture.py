"""Capture probe cases from the real tools: ``.venv/bin/python tests/probes/capture.py [NAME…]``.

For each case below: make an empty temp dir, run ``setup`` there with /bin/sh, run the probe's
command with LocalTransport and write ``tests/probes/<probe>/<name>.json`` with the command,
its real output and the parse (see ``_cases.py``). Re-run it when a probe's command changes;
review the diff of ``expected`` before committing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from shlex import quote
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _cases import CASES_DIR, DIR, as_json, run_live, temp_dir

from labkit.errors import ProbeError

QUOTED = "my disk 'v1' \"final\".qcow2"
QUOTED_GONE = "it's gone.qcow2"
ODD = "it's \"my\" $HOME disk.txt"
SEMI = "a;b; touch canary; $(touch canary) `touch canary`.txt"
WRITE = "qemu-io -f qcow2 -c 'write -q -P 0x5a {offset} 1M' {image}"

# (probe, case name, args, setup)
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    # -- qemu_img.info --------------------------------------------------------------------
    ("qemu_img.info", "qcow2", {"path": f"{DIR}/disk.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 100M"),
    ("qemu_img.info", "qcow2-probed", {"path": f"{DIR}/disk.qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 100M"),
    ("qemu_img.info", "overlay", {"path": f"{DIR}/top.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 100M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     'qemu-img create -q -f qcow2 -b "$PWD/snap.qcow2" -F qcow2 top.qcow2'),
    ("qemu_img.info", "overlay-of-raw", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f raw base.raw 64M\n"
     "qemu-img create -q -f qcow2 -b base.raw -F raw snap.qcow2"),
    ("qemu_img.info", "raw", {"path": f"{DIR}/disk.raw", "format": "raw"},
     "qemu-img create -q -f raw disk.raw 64M"),
    ("qemu_img.info", "raw-as-qcow2", {"path": f"{DIR}/disk.raw", "format": "qcow2"},
     "qemu-img create -q -f raw disk.raw 64M"),
    ("qemu_img.info", "missing", {"path": f"{DIR}/nothing.qcow2", "format": "qcow2"}, "true"),
    ("qemu_img.info", "backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 100M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     "rm base.qcow2"),
    ("qemu_img.info", "quoted-name", {"path": f"{DIR}/{QUOTED}", "format": "qcow2"},
     f"qemu-img create -q -f qcow2 {quote(QUOTED)} 10M"),
    ("qemu_img.info", "quoted-name-missing", {"path": f"{DIR}/{QUOTED_GONE}", "format": "qcow2"},
     "true"),
    ("qemu_img.info", "quoted-backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     f"qemu-img create -q -f qcow2 {quote(QUOTED)} 10M\n"
     f"qemu-img create -q -f qcow2 -b {quote(QUOTED)} -F qcow2 snap.qcow2\n"
     f"rm {quote(QUOTED)}"),
    ("qemu_img.info", "directory", {"path": f"{DIR}/lab", "format": "qcow2"}, "mkdir lab"),
    # -- qemu_img.map: base holds 1M at 0, the overlay 1M at 2M ------------------------------
    ("qemu_img.map", "overlay-written", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2")),
    ("qemu_img.map", "committed-base", {"path": f"{DIR}/base.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2") + "\n"
     "qemu-img commit -q snap.qcow2"),
    ("qemu_img.map", "committed-overlay", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2") + "\n"
     "qemu-img commit -q snap.qcow2"),
    ("qemu_img.map", "empty-qcow2", {"path": f"{DIR}/disk.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 16M"),
    ("qemu_img.map", "missing", {"path": f"{DIR}/nothing.qcow2", "format": "qcow2"}, "true"),
    ("qemu_img.map", "backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     "rm base.qcow2"),
    # -- file.stat --------------------------------------------------------------------------
    ("file.stat", "regular", {"path": f"{DIR}/notes.txt"}, "printf 'hello, labkit\\n' > notes.txt"),
    ("file.stat", "empty", {"path": f"{DIR}/empty"}, ": > empty"),
    ("file.stat", "qcow2-image", {"path": f"{DIR}/disk.qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 1M"),
    ("file.stat", "directory", {"path": f"{DIR}/lab"}, "mkdir lab"),
    ("file.stat", "missing", {"path": f"{DIR}/nothing"}, "true"),
    ("file.stat", "symlink", {"path": f"{DIR}/link"},
     "printf 'QFI' > target\nln -s target link"),
    ("file.stat", "dangling-symlink", {"path": f"{DIR}/link"}, "ln -s nowhere link"),
    ("file.stat", "quotes-dollar", {"path": f"{DIR}/{ODD}"}, f"printf 'x' > {quote(ODD)}"),
    ("file.stat", "semicolon", {"path": f"{DIR}/{SEMI}"}, f"printf 'y' > {quote(SEMI)}"),
    ("file.stat", "semicolon-missing", {"path": f"{DIR}/{SEMI}"}, "true"),
    # -- system.*: the machine running the capture (its live test compares the shape) --------
    ("system.hostname", "this-host", {}, "true"),
    ("system.machine_id", "this-host", {}, "true"),
]


def capture(probe_name: str, name: str, args: dict[str, Any], setup: str) -> dict[str, Any]:
    case: dict[str, Any] = {"probe": probe_name, "args": args, "setup": setup}
    with temp_dir() as directory:
        probe, result = run_live(case, directory)
    case.update(dir=directory, command=result.command, exit_code=result.exit_code,
                stdout=result.stdout, stderr=result.stderr)
    try:
        case["expected"] = as_json(probe.parse(result))
    except ProbeError:
        case["expected"] = None
        case["raises"] = "ProbeError"
    return case


def main(names: list[str]) -> None:
    for probe_name, name, args, setup in CASES:
        if names and name not in names and f"{probe_name}/{name}" not in names:
            continue
        case = capture(probe_name, name, args, setup)
        path = CASES_DIR / probe_name / f"{name}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        expected = case["expected"]
        shown = case.get("raises") or (expected.get("state", expected.get("type"))
                                       if isinstance(expected, dict) else expected)
        print(f"{path.relative_to(CASES_DIR)}: exit {case['exit_code']} -> {shown}")


if __name__ == "__main__":
    main(sys.argv[1:])
