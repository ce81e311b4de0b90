"""Which lab host serves which role of an exercise with ``--lab``: the same rule as the lessons
(``labkit.sandbox.topology``'s ``one_host``), for every topology."""

from __future__ import annotations

import pytest

from labkit.errors import UsageError
from labkit.grading.context import lab_urls
from labkit.lessons.table import ROLE_HOSTS
from labkit.sandbox.topology import TOPOLOGIES, one_host


def _lab(monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...]) -> dict[str, str]:
    hosts = {name: f"ssh://root@127.0.0.1:{2200 + i}" for i, name in enumerate(names)}
    monkeypatch.setattr("labkit.sandbox.lab_hosts", lambda name=None: hosts)
    return hosts


@pytest.mark.parametrize("topology", sorted(TOPOLOGIES))
def test_a_one_role_exercise_runs_where_the_lessons_run_it(
        topology: str, monkeypatch: pytest.MonkeyPatch) -> None:
    names = tuple(h.name for h in TOPOLOGIES[topology].hosts)
    hosts = _lab(monkeypatch, names)
    expected = {"single": "host", "storage": "server", "network": "b"}[topology]
    assert one_host(names) == expected == ROLE_HOSTS[topology]["host"]
    assert lab_urls(["host"]) == {"host": hosts[expected]}


def test_roles_that_are_hosts_map_to_them(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = _lab(monkeypatch, ("router", "a", "b"))
    assert lab_urls(["router", "a", "b"]) == hosts
    with pytest.raises(UsageError, match="server"):
        lab_urls(["server", "client"])


def test_a_lab_of_no_known_topology_uses_its_first_host() -> None:
    assert one_host(("x", "y")) == "x"
