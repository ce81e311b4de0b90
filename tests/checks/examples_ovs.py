"""Examples for labkit/checks/ovs.py (see _examples.py); names as in the recorded case
tests/probes/ovs.state/tagged-ports.json (bridge ``lkpovs``)."""

from __future__ import annotations

from typing import Any

ARGS: dict[str, list[dict[str, Any]]] = {
    "ovs.bridge": [{"bridge": "lkpovs"}, {"bridge": "ovsbr0"}],
    "ovs.port": [{"bridge": "lkpovs", "port": "lkp1-sw", "tag": 10},
                 {"bridge": "lkpovs", "port": "lkp1-sw", "tag": 20},
                 {"bridge": "lkpovs", "port": "lkp2-sw", "trunks": [20, 10]},
                 {"bridge": "lkpovs", "port": "lkp2-sw", "trunks": [10]},
                 {"bridge": "lkpovs", "port": "nothing"},
                 {"bridge": "other", "port": "lkp1-sw"},
                 {"bridge": "second", "port": "lkp1-sw"}],
}

VALUES: dict[str, list[Any]] = {
    "ovs.state": [{"state": "not-installed"}, {"state": "not-running"},
                  # the port is on another bridge than the one asked for
                  {"state": "ok", "bridges": {"second": {"ports": {}},
                                              "lkpovs": {"ports": {"lkp1-sw": {
                                                  "tag": 10, "trunks": [], "vlan_mode": None,
                                                  "interfaces": []}}}}}],
}
