"""nbval's fast pass over the lessons, without VMs: ``pytest --nbval-lax notebooks/``.

Before the first notebook's kernel starts, this sets ``LABKIT_PREVIEW=1`` (a kernel inherits
the pytest process's environment): every lesson then replays the recordings shipped with
labkit (``labkit/lessons/recordings/``, made by ``tests/lessons/test_lessons_live.py`` from
live runs on the sandbox VMs), says on every output that it is a recording, and awards nothing.
The checked cells are compared with the stored outputs after ``labkit.lessons.sanitize``
(the recording labels, times, UUIDs, MACs…), the same rules the live test uses.

The live run of the same notebooks is ``tests/lessons/test_lessons_live.py``: this pass proves
the notebooks and their recordings agree, that one proves the recordings are what the lab does.

Why hooks and not only a fixture: nbval's cells are not pytest functions, so fixtures are never
set up for them; a hook runs before nbval starts each notebook's kernel.
"""

from __future__ import annotations

import os

import pytest

from labkit.lessons.sanitize import RULES

PREVIEW = "LABKIT_PREVIEW"
_saved: dict[str, str | None] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Runs before nbval starts a notebook's kernel (in its collector's setup)."""
    if PREVIEW not in _saved:
        _saved[PREVIEW] = os.environ.get(PREVIEW)
        os.environ[PREVIEW] = "1"
    patterns = getattr(item.parent, "sanitize_patterns", None)
    if patterns is not None:
        for pattern, replacement in RULES:
            patterns.setdefault(f"(?m){pattern}", replacement)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved.clear()
