"""Check kinds about disk images (read with qemu-img)."""

from __future__ import annotations

import posixpath
from typing import ClassVar, Literal

from labkit.checks.base import Args, CheckKind, Facts, Size, Verdict
from labkit.probes.files import FileStat
from labkit.probes.qemu_img import MAGIC, ImageChain, ImageInfo, ImageMap, QemuImgInfo, QemuImgMap
from labkit.units import format_size

Format = Literal["qcow2", "raw", "vmdk", "vdi", "vpc"]


class ImageArgs(Args):
    path: str
    format: Format = "qcow2"


def _failed_state(args: ImageArgs, value: ImageChain | ImageMap) -> Verdict | None:
    """The verdict for an image that could not be opened, or None if it was."""
    state = value.state
    if state == "missing":
        return Verdict(False, "qemu_img.missing", {"path": args.path})
    if state == "backing-missing":
        return Verdict(False, "qemu_img.backing_missing",
                       {"path": args.path, "missing": value.missing or "?"})
    if state == "wrong-format":
        return Verdict(False, "qemu_img.format_wrong",
                       {"path": args.path, "format": args.format, "found": "?"})
    return None


def _top(args: ImageArgs, info: ImageChain) -> tuple[ImageInfo | None, Verdict | None]:
    failed = _failed_state(args, info)
    return (None, failed) if failed else (info.chain[0], None)


class ImageFormat(CheckKind[ImageArgs]):
    """The image is in ``format``. A raw image is recognised by NOT starting with the
    header of another format (qemu-img would happily read any file as raw)."""

    name: ClassVar[str] = "qemu_img.format"
    Args = ImageArgs

    def probe(self, args: ImageArgs) -> FileStat:
        return FileStat(args.path)

    def evaluate(self, args: ImageArgs, facts: Facts) -> Verdict:
        stat = facts[self.probe(args)]
        values = {"path": args.path, "format": args.format}
        if not stat["exists"]:
            return Verdict(False, "qemu_img.missing", values)
        if stat["type"] != "regular file":
            return Verdict(False, "file.not_file", {"path": args.path, "type": stat["type"]})
        magic = stat.get("magic", "")
        found = next((fmt for fmt, head in MAGIC.items() if magic.startswith(head)), "raw")
        if args.format == "vpc":
            found = "vpc" if found == "vhd" else found
        if found != args.format:
            return Verdict(False, "qemu_img.format_wrong", {**values, "found": found})
        return Verdict(True, "qemu_img.format_ok", values)


class SizeArgs(ImageArgs):
    size: Size



class VirtualSize(CheckKind[SizeArgs]):
    """The image's virtual size (what the VM sees) is exactly ``size``."""

    name: ClassVar[str] = "qemu_img.virtual_size"
    Args = SizeArgs

    def probe(self, args: SizeArgs) -> QemuImgInfo:
        return QemuImgInfo(args.path, args.format)

    def evaluate(self, args: SizeArgs, facts: Facts) -> Verdict:
        top, failed = _top(args, facts[self.probe(args)])
        if top is None:
            return failed  # type: ignore[return-value]
        values = {"path": args.path, "size": format_size(args.size),
                  "found": format_size(top.virtual_size)}
        return Verdict(top.virtual_size == args.size,
                       "qemu_img.size_ok" if top.virtual_size == args.size
                       else "qemu_img.size_wrong", values)


class BackingArgs(ImageArgs):
    backing: str
    backing_format: Format = "qcow2"


def _resolve(image: str, backing: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(image), backing))


class Backing(CheckKind[BackingArgs]):
    """The image is an overlay whose backing file is ``backing`` in ``backing_format``."""

    name: ClassVar[str] = "qemu_img.backing"
    Args = BackingArgs

    def probe(self, args: BackingArgs) -> QemuImgInfo:
        return QemuImgInfo(args.path, args.format)

    def evaluate(self, args: BackingArgs, facts: Facts) -> Verdict:
        top, failed = _top(args, facts[self.probe(args)])
        if top is None:
            return failed  # type: ignore[return-value]
        values = {"path": args.path, "backing": args.backing,
                  "backing_format": args.backing_format}
        if not top.backing_filename:
            return Verdict(False, "qemu_img.backing_none", values)
        found = _resolve(args.path, top.full_backing_filename or top.backing_filename)
        if found != _resolve(args.path, args.backing):
            return Verdict(False, "qemu_img.backing_wrong", {**values, "found": found})
        if top.backing_format != args.backing_format:
            return Verdict(False, "qemu_img.backing_format_wrong",
                           {**values, "found": top.backing_format or "?"})
        return Verdict(True, "qemu_img.backing_ok", values)


class Independent(CheckKind[ImageArgs]):
    """The image has no backing file: it stands on its own."""

    name: ClassVar[str] = "qemu_img.independent"
    Args = ImageArgs

    def probe(self, args: ImageArgs) -> QemuImgInfo:
        return QemuImgInfo(args.path, args.format)

    def evaluate(self, args: ImageArgs, facts: Facts) -> Verdict:
        top, failed = _top(args, facts[self.probe(args)])
        if top is None:
            return failed  # type: ignore[return-value]
        if top.backing_filename:
            return Verdict(False, "qemu_img.independent_wrong",
                           {"path": args.path, "found": top.backing_filename})
        return Verdict(True, "qemu_img.independent_ok", {"path": args.path})


class DataArgs(ImageArgs):
    min: Size = 0
    max: Size | None = None



class OwnData(CheckKind[DataArgs]):
    """The image's own layer (not its backing files) holds between ``min`` and ``max`` bytes
    of data: how a commit (the overlay emptied, the base filled) is seen from outside."""

    name: ClassVar[str] = "qemu_img.data"
    Args = DataArgs

    def probe(self, args: DataArgs) -> QemuImgMap:
        return QemuImgMap(args.path, args.format)

    def evaluate(self, args: DataArgs, facts: Facts) -> Verdict:
        mapped = facts[self.probe(args)]
        failed = _failed_state(args, mapped)
        if failed:
            return failed
        own = mapped.data_bytes.get(0, 0)
        values = {"path": args.path, "found": format_size(own), "min": format_size(args.min),
                  "max": format_size(args.max or 0)}
        if own < args.min:
            return Verdict(False, "qemu_img.data_too_little", values)
        if args.max is not None and own > args.max:
            return Verdict(False, "qemu_img.data_too_much", values)
        return Verdict(True, "qemu_img.data_ok", values)
