"""Fixtures of the end-to-end tests (``lab_host`` and ``workdir`` are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=[pytest.param("ssh", marks=pytest.mark.sshd), "local"])
def host_url(request: pytest.FixtureRequest) -> str:
    """The lab host's URL: the real local sshd, then this machine through ``local://``."""
    if request.param == "ssh":
        return str(request.getfixturevalue("lab_host").url)
    return "local://"
