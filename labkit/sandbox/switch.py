"""The lab switch: a tiny learning Ethernet switch between the VMs' ``eth1``.

Each VM's ``eth1`` is a QEMU ``-netdev dgram`` on a unix datagram socket (its own
``eth1.sock``) whose peer is the switch socket. The switch learns source MACs and
forwards frames (tagged 802.1Q frames too, so every port is a trunk), floods
broadcast/multicast/unknown destinations, and only talks to the listed VM sockets.
Nothing leaves the machine: there is no IP socket at all.

Run as ``python -m labkit.sandbox.switch --socket S --pidfile P PORT_SOCKET...``; it
forks into the background once its socket is bound, and writes ``P``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

# Wait at most this long for a VM to accept a frame (a full queue); then drop it.
SEND_TIMEOUT = 0.05
MAX_FRAME = 65536


def forward_targets(table: dict[bytes, str], ports: Sequence[str], sender: str,
                    frame: bytes) -> list[str]:
    """Learn the sender and return where ``frame`` goes (pure; used by the tests)."""
    if len(frame) < 14 or sender not in ports:
        return []
    dst, src = frame[0:6], frame[6:12]
    if not src[0] & 1:
        table[src] = sender
    if not dst[0] & 1:
        known = table.get(dst)
        if known is not None:
            return [] if known == sender else [known]
    return [port for port in ports if port != sender]


def serve(sock: socket.socket, ports: Sequence[str]) -> None:
    """Forward frames forever."""
    table: dict[bytes, str] = {}
    sock.settimeout(SEND_TIMEOUT)
    while True:
        try:
            frame, sender = sock.recvfrom(MAX_FRAME)
        except TimeoutError:
            continue
        for target in forward_targets(table, ports, str(sender), frame):
            # A VM that is down, or too busy to take the frame in time: drop, like a switch.
            with contextlib.suppress(OSError):
                sock.sendto(frame, target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labkit-switch", description=__doc__)
    parser.add_argument("--socket", required=True, help="the switch's own socket path")
    parser.add_argument("--pidfile", required=True, help="where to write the daemon's PID")
    parser.add_argument("--foreground", action="store_true", help="do not fork")
    parser.add_argument("ports", nargs="+", help="the VMs' eth1 socket paths")
    args = parser.parse_args(argv)
    path = Path(args.socket)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if not args.foreground:
        if os.fork() > 0:
            return 0
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(devnull, fd)
    Path(args.pidfile).write_text(f"{os.getpid()}\n")

    def stop(_signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            Path(args.pidfile).unlink()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    serve(sock, list(args.ports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
