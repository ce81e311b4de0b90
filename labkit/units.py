"""Sizes as qemu-img and LVM write them: ``100M``, ``+20G``, ``1.5G`` (powers of 1024).

One grammar (:func:`read_size`) for everything labkit reads: graders' ``args`` (the
:data:`Size` type), and the commands a widget checks before a student runs them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50,
          "E": 1 << 60}
#: THE size grammar: an optional sign, a number, an optional unit letter (powers of 1024) and
#: an optional ``B``/``iB`` after it — ``100M``, ``+20G``, ``1.5G``, ``512MiB``, ``4096``.
_SIZE = re.compile(r"^\s*([+-]?)(\d+(?:\.\d+)?)\s*([KMGTPE]?)(i?B)?\s*$", re.IGNORECASE)
#: Larger than any disk (and than qemu-img accepts): for a tool's own limit.
TOO_LARGE = 1 << 63


@dataclass(frozen=True)
class SizeText:
    """A size as written: its sign (``""``, ``+``, ``-``), its bytes, and the letters after
    the unit (``""``, ``B`` or ``iB``: qemu-img itself takes none of them)."""

    sign: str
    size: int
    suffix: str


def read_size(text: str) -> SizeText | None:
    """``"+20M"`` -> ``SizeText("+", 20971520, "")``; None if ``text`` is not a size."""
    match = _SIZE.match(text)
    if not match:
        return None
    sign, number, unit, suffix = match.groups()
    if len(number) > 30:
        return None
    try:
        size = int(Decimal(number) * _UNITS[unit.upper()])
    except InvalidOperation:
        return None
    return SizeText(sign, size, suffix or "")


def parse_size(text: str | int) -> int:
    """Bytes in ``text`` (``"100M"`` -> 104857600); raise ValueError if it is not a size
    (a sign, as in ``+20M``, is a change, not a size)."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"negative size: {text}")
        return text
    read = read_size(str(text))
    if read is None or read.sign:
        raise ValueError(f"not a size: {text!r} (write e.g. 100M or 2G)")
    return read.size


#: A size in a grader's ``args``: ``100M``, ``2G`` or a number of bytes (validated once here).
Size = Annotated[int, BeforeValidator(parse_size)]


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
