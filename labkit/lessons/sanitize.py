"""What differs between two honest runs of a lesson, so outputs can be compared.

Used by the sandbox test that runs every lesson live against the stored notebooks, and by
nbval's fast pass (``notebooks/conftest.py``) against preview recordings. Each rule replaces
something that changes from run to run (or is only a label) by a fixed placeholder.
"""

from __future__ import annotations

import re

#: (pattern, replacement), applied in order.
RULES: tuple[tuple[str, str], ...] = (
    # preview mode's label on every replayed output (a recording, which lab, when)
    (r"^\[(?:gravación|recording): [^\]\n]*\]\n", ""),
    (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"),
    (r"\b[0-9A-Za-z]{6}(?:-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}\b", "UUID"),   # LVM's
    (r"\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b", "MAC"),
    (r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", "TIME"),
    (r"\b\w{3} \w{3} [ \d]\d \d{2}:\d{2}:\d{2}(?: \w+)? \d{4}\b", "TIME"),   # date(1)
    (r"\b\d{1,2}:\d{2}:\d{2}\b", "TIME"),
    (r"\b\d+(?:\.\d+)?(?:ms| ms|s| s| seconds| segundos)\b", "N s"),
    (r"\btime=\d+(?:\.\d+)? ms\b", "time=N ms"),
    (r"\bpid \d+\b|\b(?:unshare|PID): \d+\b", "PID"),
    (r"\b(?:machine-id|Machine ID): [0-9a-f]{32}\b", "machine-id: ID"),
)
_COMPILED = tuple((re.compile(p, re.MULTILINE), r) for p, r in RULES)


def sanitize(text: str) -> str:
    """``text`` with every run-dependent part replaced (see ``RULES``)."""
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text
