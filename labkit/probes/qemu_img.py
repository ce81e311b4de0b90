"""Disk images read with qemu-img: ``info`` (with the backing chain) and ``map``.

Both run with ``-U`` (do not take the image lock: a VM may be using it) and ``-f FORMAT``
when the format is known: a raw disk can hold a forged qcow2 header written by its guest,
and format probing would believe it.
"""

from __future__ import annotations

import abc
import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

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

R = TypeVar("R")

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


#: ``ok``; or why the image could not be opened: it is not there, it is not in the format
#: given, or a file of its backing chain is not there.
ImageState = Literal["ok", "missing", "wrong-format", "backing-missing"]


@dataclass(frozen=True)
class ImageInfo:
    """One image of a backing chain, as ``qemu-img info`` describes it (sizes in bytes)."""

    filename: str
    format: str
    virtual_size: int
    actual_size: int
    #: as written in the image (may be relative to the image's folder); None: no backing file
    backing_filename: str | None
    full_backing_filename: str | None
    backing_format: str | None
    dirty: bool
    corrupt: bool


@dataclass(frozen=True)
class ImageChain:
    """``qemu_img.info``: the image and its backing files, top first (``state`` ``ok``), or
    why it could not be opened (``missing`` names the backing file that is not there)."""

    state: ImageState
    chain: tuple[ImageInfo, ...] = ()
    missing: str | None = None


@dataclass(frozen=True)
class Extent:
    """A range of an image and the layer that holds it (``depth`` 0: the image itself)."""

    start: int
    length: int
    depth: int
    data: bool
    zero: bool


@dataclass(frozen=True)
class ImageMap:
    """``qemu_img.map``: where the data is; ``data_bytes`` sums it by layer (depth)."""

    state: ImageState
    extents: tuple[Extent, ...] = ()
    data_bytes: dict[int, int] = field(default_factory=dict)
    missing: str | None = None


def _name(entry: dict[str, Any], key: str) -> str:
    value = _str(entry, key)
    if value is None:
        raise ProbeError(f"qemu-img printed no {key!r}")
    return value


def _image(entry: dict[str, Any]) -> ImageInfo:
    specific = entry.get("format-specific")
    data = specific.get("data") if isinstance(specific, dict) else None
    return ImageInfo(
        filename=_name(entry, "filename"),
        format=_name(entry, "format"),
        virtual_size=_int(entry, "virtual-size"),
        actual_size=_int(entry, "actual-size", 0),
        backing_filename=_str(entry, "backing-filename", optional=True),
        full_backing_filename=_str(entry, "full-backing-filename", optional=True),
        backing_format=_str(entry, "backing-filename-format", optional=True),
        dirty=entry.get("dirty-flag") is True,
        corrupt=isinstance(data, dict) and data.get("corrupt") is True,
    )


def _missing_name(stderr: str) -> str:
    """The file named in the innermost ``Could not open 'NAME': No such file or directory``.

    qemu-img quotes names verbatim (a name may itself hold ``'``), so cut by position.
    """
    end = stderr.rfind(_NO_FILE)
    start = stderr.rfind(_OPEN, 0, end)
    return stderr[start + len(_OPEN):end] if start >= 0 else ""


def _failure(path: str, stderr: str) -> tuple[ImageState, str | None]:
    """Classify a failed ``qemu-img info``/``map`` (state, missing file), or raise ProbeError."""
    if re.search(r"Image is not in \S+ format", stderr):
        return "wrong-format", None
    if "No such file or directory" in stderr:
        name = _missing_name(stderr)
        if "Could not open backing file" not in stderr and name in ("", path):
            return "missing", None
        return "backing-missing", name
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
    raise ProbeError(f"qemu-img failed: {last}")


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ProbeError(f"qemu-img {what} printed something that is not JSON") from None


@dataclass(frozen=True)
class _QemuImg(Probe[R]):
    """``qemu-img VERB`` of one image, as JSON: a failure (no such image, wrong format, a
    backing file missing) is a state of the result, not an error."""

    verb: ClassVar[str]
    options: ClassVar[str] = ""
    path: str
    format: str = ""

    def command(self) -> str:
        fmt = f" -f {q(self.format)}" if self.format else ""
        return f"qemu-img {self.verb} -U --output=json{self.options}{fmt} -- {q(self.path)}"

    def parse(self, result: CommandResult) -> R:
        if not result.ok:
            if result.exit_code == 127:
                raise ProbeError("qemu-img is not installed on the lab host")
            state, missing = _failure(self.path, result.stderr)
            return self.failed(state, missing)
        return self.read(_json(result.stdout, self.verb))

    @abc.abstractmethod
    def failed(self, state: ImageState, missing: str | None) -> R:
        """The result of an image that could not be opened."""

    @abc.abstractmethod
    def read(self, data: Any) -> R:
        """The result of the JSON qemu-img printed."""


@dataclass(frozen=True)
class QemuImgInfo(_QemuImg[ImageChain]):
    """``qemu-img info --backing-chain`` of one image: an :class:`ImageChain`."""

    name: ClassVar[str] = "qemu_img.info"
    verb: ClassVar[str] = "info"
    options: ClassVar[str] = " --backing-chain"

    def failed(self, state: ImageState, missing: str | None) -> ImageChain:
        return ImageChain(state, missing=missing)

    def read(self, data: Any) -> ImageChain:
        entries = data if isinstance(data, list) else [data]
        if not entries or not all(isinstance(e, dict) for e in entries):
            raise ProbeError("qemu-img info printed an unexpected JSON shape")
        return ImageChain("ok", tuple(_image(e) for e in entries))


@dataclass(frozen=True)
class QemuImgMap(_QemuImg[ImageMap]):
    """``qemu-img map`` of one image: which ranges hold data, and in which layer (an
    :class:`ImageMap`; a failure state as QemuImgInfo gives)."""

    name: ClassVar[str] = "qemu_img.map"
    verb: ClassVar[str] = "map"

    def failed(self, state: ImageState, missing: str | None) -> ImageMap:
        return ImageMap(state, missing=missing)

    def read(self, data: Any) -> ImageMap:
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            raise ProbeError("qemu-img map printed an unexpected JSON shape")
        extents = tuple(Extent(start=_int(e, "start"), length=_int(e, "length"),
                               depth=_int(e, "depth"), data=_bool(e, "data"),
                               zero=_bool(e, "zero")) for e in data)
        per_depth: dict[int, int] = {}
        for e in extents:
            if e.data:
                per_depth[e.depth] = per_depth.get(e.depth, 0) + e.length
        return ImageMap("ok", extents, per_depth)
