"""Examples for labkit/checks/qemu_img.py (see _examples.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from labkit.probes.qemu_img import ImageChain, ImageInfo, ImageMap, ImageState

MiB = 1 << 20
_IMG = ImageInfo(filename="/w/d.qcow2", format="qcow2", virtual_size=100 * MiB, actual_size=1,
                 backing_filename=None, full_backing_filename=None, backing_format=None,
                 dirty=False, corrupt=False)
_BACKED = replace(_IMG, backing_filename="b.qcow2", full_backing_filename="/w/b.qcow2",
                  backing_format="raw")
_STATES: list[tuple[ImageState, str | None]] = [("missing", None), ("wrong-format", None),
                                                ("backing-missing", "/w/b.qcow2")]

ARGS: dict[str, list[dict[str, Any]]] = {
    "qemu_img.format": [{"path": "/w/d", "format": f}
                        for f in ("qcow2", "raw", "vmdk", "vdi", "vpc")],
    "qemu_img.virtual_size": [{"path": "/w/d.qcow2", "size": "100M"}],
    "qemu_img.backing": [{"path": "/w/d.qcow2", "backing": b, "backing_format": f}
                         for b in ("b.qcow2", "c.qcow2") for f in ("qcow2", "raw")],
    "qemu_img.independent": [{"path": "/w/d.qcow2"}],
    "qemu_img.data": [{"path": "/w/d.qcow2", "min": "4M"}, {"path": "/w/d.qcow2", "max": 0},
                      {"path": "/w/d.qcow2", "min": "1M", "max": "1T"}],
}

VALUES: dict[str, list[Any]] = {
    "qemu_img.info": [ImageChain(state, missing=m) for state, m in _STATES]
    + [ImageChain("ok", (i,)) for i in (_IMG, _BACKED)]
    + [ImageChain("ok", (replace(_IMG, virtual_size=s),)) for s in (80 * MiB, 1)],
    "qemu_img.map": [ImageMap(state, missing=m) for state, m in _STATES]
    + [ImageMap("ok", (), d) for d in ({}, {0: 4 * MiB}, {0: 1}, {1: 8 * MiB}, {0: 1 << 40})],
}
