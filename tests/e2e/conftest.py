"""Fixtures of the end-to-end tests (``lab_host`` and ``workdir`` are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(params=[pytest.param("ssh", marks=pytest.mark.sshd), "local"])
def host_url(request: pytest.FixtureRequest) -> str:
    """The lab host's URL: the real local sshd, then this machine through ``local://``."""
    if request.param == "ssh":
        return str(request.getfixturevalue("lab_host").url)
    return "local://"


@pytest.fixture(autouse=True)
def _shipped_exercises() -> Iterator[None]:
    """The shipped exercises, whatever an earlier in-process command configured
    (``--exercises DIR`` lasts for the rest of a process)."""
    from labkit.settings import override

    with override(course_dir=None):
        yield
