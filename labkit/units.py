"""Sizes as qemu-img and LVM write them: ``100M``, ``+20G``, ``1.5G`` (powers of 1024)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)(?:i?B)?\s*$", re.IGNORECASE)


def parse_size(text: str | int) -> int:
    """Bytes in ``text`` (``"100M"`` -> 104857600); raise ValueError if it is not a size."""
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"negative size: {text}")
        return text
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (write e.g. 100M or 2G)")
    number, unit = match.groups()
    if len(number) > 30:
        raise ValueError(f"size too large: {text!r}")
    try:
        return int(Decimal(number) * _UNITS[unit.upper()])
    except InvalidOperation:
        raise ValueError(f"not a size: {text!r}") from None


def format_size(size: int) -> str:
    """``104857600`` -> ``"100 MiB"``, ``"1.5 GiB"``; a size that is no round number of its
    unit is shown in bytes (120 MiB + 1 B must not read as "120.00 MiB" to a student)."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            whole, rest = divmod(size, factor)
            if rest == 0:
                return f"{whole} {unit}"
            if (size * 100) % factor == 0:
                return f"{Decimal(size * 100 // factor) / 100:f} {unit}"
            break
    return f"{size} B"
