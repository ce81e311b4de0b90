"""Examples for labkit/checks/firewall.py (sysctl settings and source NAT; see
_examples.py); addresses as in the recorded nft/iptables cases (tests/probes/setups.py, NET)."""

from __future__ import annotations

from typing import Any

ARGS: dict[str, list[dict[str, Any]]] = {
    "sysctl.value": [{"setting": "net.ipv4.ip_forward", "value": v, "when": w}
                     for v in ("1", "0") for w in ("now", "boot")],
    "firewall.nat": [{"source": "10.0.10.0/24", "out": "eth1"},
                     {"source": "10.0.10.0/24", "out": "eth2"},
                     {"source": "10.0.10.0/24", "action": "snat"},
                     {"source": "10.0.20.0/24", "action": "snat"},
                     {"source": "10.0.99.0/24"}],
}

VALUES: dict[str, list[Any]] = {}
