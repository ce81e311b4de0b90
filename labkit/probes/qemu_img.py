"""Disk images read with qemu-img: ``info`` (with the backing chain) and ``map``.

Both run with ``-U`` (do not take the image lock: a VM may be using it) and ``-f FORMAT``
when the format is known: a raw disk can hold a forged qcow2 header written by its guest,
and format probing would believe it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from labkit.errors import ProbeError
from labkit.probes.base import Probe, q
from labkit.transports.base import CommandResult

#: First bytes of the image formats the course names (hex), to tell a raw file from the rest.
MAGIC = {
    "qcow2": "514649fb",        # "QFI\xfb"
    "vmdk": "4b444d56",         # "KDMV"
    "vdi": "3c3c3c20",          # "<<< "
    "vhd": "636f6e6563746978",  # "conectix"
}

_OPEN_FAILED = re.compile(r"Could not open '([^']*)'")


def _image(entry: dict[str, Any]) -> dict[str, Any]:
    specific = entry.get("format-specific", {}).get("data", {})
    return {
        "filename": entry["filename"],
        "format": entry["format"],
        "virtual_size": int(entry["virtual-size"]),
        "actual_size": int(entry.get("actual-size", 0)),
        "backing_filename": entry.get("backing-filename"),
        "full_backing_filename": entry.get("full-backing-filename"),
        "backing_format": entry.get("backing-filename-format"),
        "dirty": bool(entry.get("dirty-flag", False)),
        "corrupt": bool(specific.get("corrupt", False)),
    }


def _failure(path: str, stderr: str) -> dict[str, Any]:
    """Classify a failed ``qemu-img info``/``map`` into a fact, or raise ProbeError."""
    if re.search(r"Image is not in \S+ format", stderr):
        return {"state": "wrong-format"}
    if "No such file or directory" in stderr:
        # The innermost "Could not open 'NAME'" names the file that is really missing.
        names = _OPEN_FAILED.findall(stderr)
        name = names[-1] if names else ""
        if "Could not open backing file" not in stderr and name in ("", path):
            return {"state": "missing"}
        return {"state": "backing-missing", "missing": name}
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
    raise ProbeError(f"qemu-img failed: {last}")


@dataclass(frozen=True)
class QemuImgInfo(Probe):
    """``qemu-img info --backing-chain`` of one image.

    Returns ``{"state": "ok", "chain": [image, backing, ...]}`` where each image is
    ``{"filename", "format", "virtual_size", "actual_size", "backing_filename",
    "full_backing_filename", "backing_format", "dirty", "corrupt"}``; or
    ``{"state": "missing"}``, ``{"state": "wrong-format"}`` (not in ``format``), or
    ``{"state": "backing-missing", "missing": NAME}``.
    """

    name: ClassVar[str] = "qemu_img.info"
    path: str
    format: str = ""

    def command(self) -> str:
        fmt = f" -f {q(self.format)}" if self.format else ""
        return f"qemu-img info -U --output=json --backing-chain{fmt} -- {q(self.path)}"

    def parse(self, result: CommandResult) -> dict[str, Any]:
        if not result.ok:
            if result.exit_code == 127:
                raise ProbeError("qemu-img is not installed on the lab host")
            return _failure(self.path, result.stderr)
        try:
            data = json.loads(result.stdout)
        except ValueError:
            raise ProbeError("qemu-img info printed something that is not JSON") from None
        entries = data if isinstance(data, list) else [data]
        if not entries or not all(isinstance(e, dict) for e in entries):
            raise ProbeError("qemu-img info printed an unexpected JSON shape")
        return {"state": "ok", "chain": [_image(e) for e in entries]}


@dataclass(frozen=True)
class QemuImgMap(Probe):
    """``qemu-img map`` of one image: which ranges hold data, and in which layer.

    Returns ``{"state": "ok", "extents": [{"start", "length", "depth", "data", "zero"}],
    "data_bytes": {depth: bytes}}`` or a failure state as QemuImgInfo does.
    """

    name: ClassVar[str] = "qemu_img.map"
    path: str
    format: str = ""

    def command(self) -> str:
        fmt = f" -f {q(self.format)}" if self.format else ""
        return f"qemu-img map -U --output=json{fmt} -- {q(self.path)}"

    def parse(self, result: CommandResult) -> dict[str, Any]:
        if not result.ok:
            if result.exit_code == 127:
                raise ProbeError("qemu-img is not installed on the lab host")
            return _failure(self.path, result.stderr)
        try:
            data = json.loads(result.stdout)
            extents = [{"start": int(e["start"]), "length": int(e["length"]),
                        "depth": int(e["depth"]), "data": bool(e["data"]),
                        "zero": bool(e["zero"])} for e in data]
        except (ValueError, KeyError, TypeError):
            raise ProbeError("qemu-img map printed something unexpected") from None
        per_depth: dict[int, int] = {}
        for e in extents:
            if e["data"]:
                per_depth[e["depth"]] = per_depth.get(e["depth"], 0) + e["length"]
        return {"state": "ok", "extents": extents, "data_bytes": per_depth}
