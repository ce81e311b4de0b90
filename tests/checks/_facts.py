"""Hand-made facts for check tests: probe values as the parsers return them."""

from __future__ import annotations

from typing import Any

from labkit.checks.base import KINDS, Args, Facts, Verdict
from labkit.host import Outcome
from labkit.probes.base import Probe
from labkit.probes.qemu_img import Extent, ImageChain, ImageInfo, ImageMap

MiB = 1024 * 1024
W = "/root/lab"


def facts(*pairs: tuple[Probe, Any]) -> Facts:
    """Facts where each probe has a value, or an error when the value is an ``Outcome``."""
    return Facts({p.key: v if isinstance(v, Outcome) else Outcome(value=v) for p, v in pairs})


def args(kind: str, **values: Any) -> Args:
    return KINDS[kind].Args.model_validate(values)


def evaluate(kind: str, facts_: Facts, **values: Any) -> Verdict:
    return KINDS[kind]().evaluate(args(kind, **values), facts_)


def stat(kind: str = "regular file", *, size: int = 196616, magic: str = "") -> dict[str, Any]:
    return {"exists": True, "type": kind, "size": size, "mtime": 1795750867, "magic": magic}


MISSING_FILE: dict[str, Any] = {"exists": False}
QCOW2_MAGIC = "514649fb00000003"


def image(filename: str, *, fmt: str = "qcow2", size: int = 100 * MiB,
          backing: str | None = None, full_backing: str | None = None,
          backing_format: str | None = None) -> ImageInfo:
    return ImageInfo(filename=filename, format=fmt, virtual_size=size, actual_size=200704,
                     backing_filename=backing, full_backing_filename=full_backing,
                     backing_format=backing_format, dirty=False, corrupt=False)


def info(*chain: ImageInfo) -> ImageChain:
    return ImageChain("ok", chain)


def mapped(data_bytes: dict[int, int]) -> ImageMap:
    extents = tuple(Extent(start=0, length=n, depth=d, data=True, zero=False)
                    for d, n in data_bytes.items())
    return ImageMap("ok", extents, dict(data_bytes))


MISSING = ImageChain("missing")
WRONG_FORMAT = ImageChain("wrong-format")


def backing_missing(name: str) -> ImageChain:
    return ImageChain("backing-missing", missing=name)
