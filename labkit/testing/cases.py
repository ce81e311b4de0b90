"""Probe cases: real outputs of real tools, replayed through the parsers (pyinfra-style).

A case is one JSON file ``<cases dir>/<probe>/<case>.json`` (labkit's own are in
``tests/probes/``)::

    {"probe": "qemu_img.info", "args": {"path": "{dir}/disk.qcow2", "format": "qcow2"},
     "setup": "qemu-img create -q -f qcow2 disk.qcow2 100M",
     "dir": "/tmp/labkit-probe-x1y2",       # the temp dir {dir} stood for when it was captured
     "command": "qemu-img info … -- /tmp/labkit-probe-x1y2/disk.qcow2",
     "exit_code": 0, "stdout": "…", "stderr": "…", "expected": {…}}

``setup`` is a sh script run in an empty temp dir (its cwd) to create the state; ``{dir}`` in
``args`` is that dir. ``expected`` is the parse of the recorded output as JSON (so integer
dict keys become strings); when the parser must refuse the output, ``expected`` is null and
``"raises": "ProbeError"``. :mod:`labkit.testing.capture` writes the files; a test replays
them offline (:func:`recorded_result`) and re-creates them with the real tools
(:func:`run_setup`, :func:`run_probe`).

Where a case was captured: ``"dir"`` is a local temp dir (re-created here), ``vm:/tmp/…``
(in a sandbox VM's temp dir), ``vm:<role>`` (on a storage lab after an exercise's solution),
or ``""`` with :data:`NET_GUARD` in the setup (in a network namespace of a sandbox VM).
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

from labkit.errors import ProbeError
from labkit.probes import probe_from_dict
from labkit.probes.base import Probe
from labkit.transports.base import CommandResult
from labkit.transports.local import LocalTransport

DIR = "{dir}"
#: Fields that change from one run of a tool to the next (allocation, clock).
VOLATILE = {"actual_size", "mtime"}
#: Probes whose value is the identity of the machine they run on: a live re-capture on
#: another machine compares the shape (see ``normalise_value``), not the value.
MACHINE_SPECIFIC = {"system.hostname", "system.machine_id"}
#: The guard every network case's setup starts with (see labkit.testing.capture).
NET_GUARD = "/usr/local/sbin/labkit-setup"
#: The keys of a case file (``raises`` besides, when the parser must refuse the output).
KEYS = {"probe", "args", "setup", "dir", "command", "exit_code", "stdout", "stderr", "expected"}


def vm_only(case: dict[str, Any]) -> str | None:
    """Why the case cannot be re-created on this machine (it was captured in a sandbox VM),
    or None."""
    directory = str(case.get("dir", ""))
    if directory.startswith("vm:/"):
        return ("captured in a sandbox VM (capture vm): re-captured by "
                "tests/probes/test_vm_probe_cases.py")
    if directory.startswith("vm:"):   # vm:<role>: on a storage lab after an exercise
        return ("captured on a storage lab after an exercise's solution (capture solved): "
                "see tests/probes/test_vm_probe_cases.py")
    if NET_GUARD in case.get("setup", ""):
        return ("captured in a sandbox VM (capture net): re-captured by "
                "tests/probes/test_net_probes_live.py")
    return None


def case_files(directory: Path) -> list[Path]:
    """Every case file under ``directory`` (``<probe>/<case>.json``), sorted."""
    return sorted(directory.glob("*/*.json"))


def case_id(directory: Path, path: Path) -> str:
    """``probe/case`` of a case file (a test id)."""
    return str(path.relative_to(directory).with_suffix(""))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write(directory: Path, name: str, case: dict[str, Any]) -> Path:
    """Write ``case`` as ``directory/<probe>/<name>.json``; the path written."""
    path = directory / str(case["probe"]) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def make_probe(case: dict[str, Any], directory: str) -> Probe[Any]:
    """The case's probe with ``{dir}`` in its arguments replaced by ``directory``."""
    args = {k: v.replace(DIR, directory) if isinstance(v, str) else v
            for k, v in case.get("args", {}).items()}
    return probe_from_dict({"probe": case["probe"], "args": args})


def recorded_result(case: dict[str, Any]) -> CommandResult:
    return CommandResult(case["command"], case["exit_code"], case["stdout"], case["stderr"])


def as_json(value: Any) -> Any:
    """``value`` as it reads back from a JSON file (dataclasses as dicts)."""
    return json.loads(json.dumps(value, default=_plain))


def _plain(value: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def parsed(case: dict[str, Any], probe: Probe[Any], result: CommandResult) -> dict[str, Any]:
    """``case`` with the recorded ``result`` and its parse (``expected``, or ``raises``)."""
    case.update(command=result.command, exit_code=result.exit_code,
                stdout=result.stdout, stderr=result.stderr)
    try:
        case["expected"] = as_json(probe.parse(result))
    except ProbeError:
        case["expected"] = None
        case["raises"] = "ProbeError"
    return case


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


def run_probe(case: dict[str, Any], directory: str) -> tuple[Probe[Any], CommandResult]:
    """Run the case's probe command, for the state made in ``directory``."""
    probe = make_probe(case, directory)
    return probe, LocalTransport().run(probe.command(), timeout=probe.timeout)


def run_live(case: dict[str, Any], directory: str) -> tuple[Probe[Any], CommandResult]:
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
