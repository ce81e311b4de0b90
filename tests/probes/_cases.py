"""Probe cases: real outputs of real tools, replayed through the parsers (pyinfra-style).

Each ``tests/probes/<probe>/<case>.json`` holds::

    {"probe": "qemu_img.info", "args": {"path": "{dir}/disk.qcow2", "format": "qcow2"},
     "setup": "qemu-img create -q -f qcow2 disk.qcow2 100M",
     "dir": "/tmp/labkit-probe-x1y2",       # the temp dir {dir} stood for when it was captured
     "command": "qemu-img info … -- /tmp/labkit-probe-x1y2/disk.qcow2",
     "exit_code": 0, "stdout": "…", "stderr": "…", "expected": {…}}

``setup`` is a sh script run in an empty temp dir (its cwd) to create the state; ``{dir}`` in
``args`` is that dir. ``expected`` is the parse of the recorded output as JSON (so integer
dict keys become strings); when the parser must refuse the output, ``expected`` is null and
``"raises": "ProbeError"``. ``capture.py`` writes the files; ``test_probe_cases.py`` checks
them offline and against the real tools.
"""

from __future__ import annotations

import json
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from labkit.probes import probe_from_dict
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult
from labkit.transports.local import LocalTransport

CASES_DIR = Path(__file__).parent
DIR = "{dir}"
#: Fields that change from one run of a tool to the next (allocation, clock).
VOLATILE = {"actual_size", "mtime"}
#: Probes whose value is the identity of the machine they run on: a live re-capture on
#: another machine compares the shape (see ``normalise_value``), not the value.
MACHINE_SPECIFIC = {"system.hostname", "system.machine_id"}
#: The guard every network case's setup starts with (tests/probes/capture_net.py).
NET_GUARD = "/usr/local/sbin/labkit-setup"


def vm_only(case: dict[str, Any]) -> str | None:
    """Why the case cannot be re-created on this machine (it was captured in a sandbox VM),
    or None. Storage cases have ``"dir": "vm:/…"`` (capture_vm.py); network cases a setup
    that refuses to run outside the sandbox (capture_net.py)."""
    directory = str(case.get("dir", ""))
    if directory.startswith("vm:/"):
        return ("captured in a sandbox VM (tests/probes/capture_vm.py): re-captured by "
                "tests/sandbox/test_vm_probe_cases.py")
    if directory.startswith("vm:"):   # vm:<role>: on a storage lab after an exercise
        return ("captured on a storage lab after an exercise's solution (tests/probes/"
                "capture_vm.py --solved): see tests/sandbox/test_vm_probe_cases.py")
    if NET_GUARD in case.get("setup", ""):
        return ("captured in a sandbox VM (tests/probes/capture_net.py): re-captured by "
                "tests/sandbox/test_net_probes_live.py")
    return None


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*/*.json"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def make_probe(case: dict[str, Any], directory: str) -> Probe:
    """The case's probe with ``{dir}`` in its arguments replaced by ``directory``."""
    args = {k: v.replace(DIR, directory) if isinstance(v, str) else v
            for k, v in case.get("args", {}).items()}
    return probe_from_dict({"probe": case["probe"], "args": args})


def recorded_result(case: dict[str, Any]) -> CommandResult:
    return CommandResult(case["command"], case["exit_code"], case["stdout"], case["stderr"])


def as_json(value: Any) -> Any:
    """``value`` as it reads back from a JSON file."""
    return json.loads(json.dumps(value))


@contextmanager
def temp_dir() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="labkit-probe-")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run_setup(case: dict[str, Any], directory: str) -> None:
    """Run the case's setup script in ``directory`` (empty) with the real tools."""
    setup = LocalTransport().run(f"set -eu; cd {shlex.quote(directory)}; {case['setup']}",
                                 timeout=60)
    if not setup.ok:
        raise RuntimeError(f"setup of {case['probe']} failed: {setup.tail()}")


def run_probe(case: dict[str, Any], directory: str) -> tuple[Probe, CommandResult]:
    """Run the case's probe command, for the state made in ``directory``."""
    probe = make_probe(case, directory)
    return probe, LocalTransport().run(probe.command(), timeout=probe.timeout)


def run_live(case: dict[str, Any], directory: str) -> tuple[Probe, CommandResult]:
    run_setup(case, directory)
    return run_probe(case, directory)


def normalise_value(probe: str, value: Any, directory: str) -> Any:
    """``normalise``, and the identity of the machine replaced by its shape."""
    if probe in MACHINE_SPECIFIC and isinstance(value, str):
        if probe == "system.machine_id":
            return "<machine id>" if len(value) == 32 else value
        return "<hostname>" if value else value
    return normalise(value, directory)


def normalise(value: Any, directory: str) -> Any:
    """``value`` with volatile fields zeroed and ``directory`` written as ``{dir}``.

    A directory's own size depends on the filesystem, so it is zeroed too.
    """
    if isinstance(value, dict):
        out = {k: 0 if k in VOLATILE else normalise(v, directory) for k, v in value.items()}
        if out.get("type") == "directory" and "size" in out:
            out["size"] = 0
        return out
    if isinstance(value, list):
        return [normalise(v, directory) for v in value]
    if isinstance(value, str):
        return value.replace(directory, DIR)
    return value
