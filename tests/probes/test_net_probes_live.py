"""Re-capture every network probe case in a real VM and compare with the recorded one.

The cases (``tests/probes/<probe>/<case>.json`` written by ``python -m labkit.testing.capture net``)
were captured from the real tools in the sandbox VM; this runs each setup again in a fresh
``single`` lab VM (inside a network namespace, or as the case says) and checks that the probe
still parses to the recorded value, so the fixtures cannot drift from the tools. Values that
differ from one run to the next (random MACs, the IPv6 link-local addresses made from them)
are masked. Set ``LABKIT_NET_PROBE_LAB=NAME`` to use a lab that is already up (its host
``host``, or ``a``, is reset to the warm snapshot first).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labkit.host import Host
from labkit.sandbox import Lab, lab_hosts, running_lab

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "probes"))

from setups import CASES_DIR, NET

from labkit.testing.capture import capture_net

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]

NAMES = [f"{probe}/{name}" for probe, name, _, _ in NET]


_LAB_IP = re.compile(r"192\.168\.100\.\d+/24")


def mask(value: Any) -> Any:
    """``value`` without what changes between runs and between lab hosts (random MACs, their
    IPv6 link-local addresses, the host's own lab address in its network files)."""
    return _mask(json.loads(_LAB_IP.sub("LAB-IP", json.dumps(value))))


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("MAC" if k == "mac" and isinstance(v, str) and v != "00:00:00:00:00:00"
                    else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value if not (isinstance(v, str) and v.startswith("fe80:"))]
    return value


@pytest.fixture(scope="module")
def probe_host(request: pytest.FixtureRequest) -> Iterator[Host]:
    reuse = os.environ.get("LABKIT_NET_PROBE_LAB", "").strip()
    if reuse:
        urls = lab_hosts(reuse)
        role = "host" if "host" in urls else "a"
        Lab(reuse).reset(role)   # the cases expect a clean host (e.g. no network files)
        with Host(urls[role]) as host:
            yield host
        return
    request.getfixturevalue("lab_image")
    with running_lab("single", "net-probes") as lab, Host(lab.hosts()["host"]) as host:
        yield host


@pytest.mark.parametrize("item", NET, ids=NAMES)
def test_recapture(probe_host: Host, item: tuple[str, str, dict[str, Any], str]) -> None:
    probe_name, name, _args, _setup = item
    path = CASES_DIR / probe_name / f"{name}.json"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    started = time.monotonic()
    case = capture_net(probe_host, probe_name, _args, _setup)
    assert case["command"] == recorded["command"], "the command changed: re-capture it"
    assert case.get("raises") == recorded.get("raises")
    assert mask(case["expected"]) == mask(recorded["expected"]), f"{path} drifted"
    assert time.monotonic() - started < 120
