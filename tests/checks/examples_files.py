"""Examples for labkit/checks/files.py (see _examples.py)."""

from __future__ import annotations

from typing import Any

ARGS: dict[str, list[dict[str, Any]]] = {
    "file.exists": [{"path": "/w/d", "type": t} for t in ("file", "directory", "any")],
}

#: stat results of every type, with the magic numbers the image checks read
VALUES: dict[str, list[Any]] = {
    "file.stat": [{"exists": False}] + [
        {"exists": True, "type": t, "size": 1, "mtime": 1, "magic": m}
        for t in ("regular file", "directory", "symbolic link")
        for m in ("", "514649fb", "4b444d56", "3c3c3c20", "636f6e6563746978")],
}
