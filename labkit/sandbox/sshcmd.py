"""The lab's SSH key, known_hosts, host URLs and ``ssh`` command lines (argv lists)."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from labkit.errors import SandboxError
from labkit.sandbox.guest import VMIdentity

SSH_USER = "root"
SSH_HOST = "127.0.0.1"


def make_key(path: Path, comment: str) -> None:
    """Create an ed25519 key pair at ``path`` (and ``path.pub``) if there is none."""
    if path.exists() and path.with_suffix(".pub").exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_suffix(".pub")):
        stale.unlink(missing_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
                    "-f", str(path)], check=True, timeout=30, stdin=subprocess.DEVNULL)


def make_identity(path: Path, comment: str) -> VMIdentity:
    """A VM's own identity from its SSH host key at ``path`` (made if missing): the machine id
    is derived from the public key, so both stay with the key file."""
    make_key(path, comment)
    public = " ".join(path.with_suffix(".pub").read_text().split()[:2])
    return VMIdentity(hashlib.sha256(public.encode()).hexdigest()[:32], public,
                      path.read_text())


def known_hosts_lines(ports: Sequence[int], host_key: str) -> str:
    """known_hosts content: every port of ``ports`` presents ``host_key``."""
    return "".join(f"[{SSH_HOST}]:{port} {host_key}\n" for port in sorted(ports))


def host_url(port: int, key: Path, known_hosts: Path) -> str:
    """``ssh://root@127.0.0.1:PORT?key=...&known_hosts=...`` (what labkit transports read)."""
    return (f"ssh://{SSH_USER}@{SSH_HOST}:{port}"
            f"?key={quote(str(key.resolve()), safe='/')}"
            f"&known_hosts={quote(str(known_hosts.resolve()), safe='/')}")


def ssh_argv(port: int, key: Path, known_hosts: Path, command: Sequence[str] = (),
             *, batch: bool = True, connect_timeout: int = 10, tty: bool = False) -> list[str]:
    """The ``ssh`` argv to reach a lab VM; ``command`` runs remotely (joined by ssh)."""
    argv = [
        "ssh",
        "-i", str(key),
        "-p", str(port),
        "-o", "IdentitiesOnly=yes",
        "-o", f"UserKnownHostsFile={known_hosts}",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "PasswordAuthentication=no",
        "-o", f"ConnectTimeout={connect_timeout}",
        "-o", "ServerAliveInterval=5",
        "-o", "ServerAliveCountMax=6",
        "-o", "LogLevel=ERROR",
        "-F", "/dev/null",
    ]
    if batch:
        argv += ["-o", "BatchMode=yes"]
    if tty:
        argv.append("-t")
    argv.append(f"{SSH_USER}@{SSH_HOST}")
    if command:
        argv.append("--")
        argv.extend(command)
    return argv


def wait_banner(port: int, timeout: float) -> float:
    """Wait until 127.0.0.1:``port`` greets with an SSH banner; return the seconds it took.

    Cheaper than a login (no key exchange), for when the key is known to be in place.
    """
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((SSH_HOST, port), timeout=5) as sock:
                sock.settimeout(max(0.5, min(10.0, deadline - time.monotonic())))
                if sock.recv(8).startswith(b"SSH-"):
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise SandboxError(f"SSH on 127.0.0.1:{port} did not answer within {timeout:g} s")


def wait_ssh(port: int, key: Path, known_hosts: Path, timeout: float) -> float:
    """Wait until ``ssh ... true`` succeeds; return the seconds it took."""
    started = time.monotonic()
    deadline = started + timeout
    last = ""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SandboxError(f"SSH on 127.0.0.1:{port} did not answer within {timeout:g} s"
                               + (f" ({last})" if last else ""))
        try:
            result = subprocess.run(
                ssh_argv(port, key, known_hosts, ["true"],
                         connect_timeout=max(1, min(10, int(remaining)))),
                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=max(2.0, remaining), check=False)
            if result.returncode == 0:
                return time.monotonic() - started
            last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        except subprocess.TimeoutExpired:
            last = "ssh timed out"
        time.sleep(0.3)
