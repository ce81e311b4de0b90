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

_NO_FILE = "': No such file or directory"
_OPEN = "Could not open '"


def _int(entry: dict[str, Any], key: str, default: int | None = None) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProbeError(f"qemu-img printed an unexpected {key!r}: {value!r}")
    return value


def _bool(entry: dict[str, Any], key: str) -> bool:
    value = entry.get(key)
    if not isinstance(value, bool):
        raise ProbeError(f"qemu-img printed an unexpected {key!r}: {value!r}")
    return value


def _str(entry: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = entry.get(key)
    if not isinstance(value, str) and not (optional and value is None):
        raise ProbeError(f"qemu-img printed an unexpected {key!r}: {value!r}")
    return value


def _image(entry: dict[str, Any]) -> dict[str, Any]:
    specific = entry.get("format-specific")
    data = specific.get("data") if isinstance(specific, dict) else None
    return {
        "filename": _str(entry, "filename"),
        "format": _str(entry, "format"),
        "virtual_size": _int(entry, "virtual-size"),
        "actual_size": _int(entry, "actual-size", 0),
        "backing_filename": _str(entry, "backing-filename", optional=True),
        "full_backing_filename": _str(entry, "full-backing-filename", optional=True),
        "backing_format": _str(entry, "backing-filename-format", optional=True),
        "dirty": entry.get("dirty-flag") is True,
        "corrupt": isinstance(data, dict) and data.get("corrupt") is True,
    }


def _missing_name(stderr: str) -> str:
    """The file named in the innermost ``Could not open 'NAME': No such file or directory``.

    qemu-img quotes names verbatim (a name may itself hold ``'``), so cut by position.
    """
    end = stderr.rfind(_NO_FILE)
    start = stderr.rfind(_OPEN, 0, end)
    return stderr[start + len(_OPEN):end] if start >= 0 else ""


def _failure(path: str, stderr: str) -> dict[str, Any]:
    """Classify a failed ``qemu-img info``/``map`` into a fact, or raise ProbeError."""
    if re.search(r"Image is not in \S+ format", stderr):
        return {"state": "wrong-format"}
    if "No such file or directory" in stderr:
        name = _missing_name(stderr)
        if "Could not open backing file" not in stderr and name in ("", path):
            return {"state": "missing"}
        return {"state": "backing-missing", "missing": name}
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
    raise ProbeError(f"qemu-img failed: {last}")


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ProbeError(f"qemu-img {what} printed something that is not JSON") from None


@dataclass(frozen=True)
class QemuImgInfo(Probe[dict[str, Any]]):
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
        data = _json(result.stdout, "info")
        entries = data if isinstance(data, list) else [data]
        if not entries or not all(isinstance(e, dict) for e in entries):
            raise ProbeError("qemu-img info printed an unexpected JSON shape")
        return {"state": "ok", "chain": [_image(e) for e in entries]}


@dataclass(frozen=True)
class QemuImgMap(Probe[dict[str, Any]]):
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
        data = _json(result.stdout, "map")
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            raise ProbeError("qemu-img map printed an unexpected JSON shape")
        extents = [{"start": _int(e, "start"), "length": _int(e, "length"),
                    "depth": _int(e, "depth"), "data": _bool(e, "data"),
                    "zero": _bool(e, "zero")} for e in data]
        per_depth: dict[int, int] = {}
        for e in extents:
            if e["data"]:
                per_depth[e["depth"]] = per_depth.get(e["depth"], 0) + e["length"]
        return {"state": "ok", "extents": extents, "data_bytes": per_depth}
