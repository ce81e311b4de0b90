"""Free TCP ports on 127.0.0.1 for the SSH forwards.

A port is picked by binding port 0 (the kernel chooses a free one) and is handed to QEMU
right away; if another program takes it in between, QEMU fails to listen and the caller
retries with a new port (:class:`labkit.sandbox.vm.PortInUse`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether ``host:port`` can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def pick_port(avoid: Iterable[int] = (), host: str = "127.0.0.1", tries: int = 50) -> int:
    """A currently free port on ``host`` that is not in ``avoid``."""
    avoided = set(avoid)
    for _ in range(tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
        if port not in avoided:
            return port
    raise OSError("could not find a free TCP port")
