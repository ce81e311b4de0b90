"""A throwaway OpenSSH server on 127.0.0.1: a real lab host on this machine.

Used by the tests, the benchmarks and ``scripts/run-lab --local``. It runs the system's ``sshd`` as
the current user (root may log in with the throwaway key only), listens on loopback only,
and is stopped by PID.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from labkit.errors import ConfigError, ConnectError

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/bin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "labkit", "-f",
                    str(path)], check=True, capture_output=True, timeout=30)


class LocalSSHHost:
    """``with LocalSSHHost() as lab: lab.url`` -> ``ssh://root@127.0.0.1:PORT?key=…``."""

    def __init__(self, directory: str | Path | None = None, *, port: int | None = None,
                 extra_config: str = "") -> None:
        self._own_dir = directory is None
        self.dir = Path(directory or tempfile.mkdtemp(prefix="labkit-sshd-"))
        self.port = port or free_port()
        self.extra_config = extra_config
        self.proc: subprocess.Popen[bytes] | None = None
        self.user = os.environ.get("USER") or "root"
        if os.geteuid() == 0:
            self.user = "root"

    @property
    def key(self) -> Path:
        return self.dir / "client_key"

    @property
    def known_hosts(self) -> Path:
        return self.dir / "known_hosts"

    @property
    def url(self) -> str:
        return (f"ssh://{self.user}@127.0.0.1:{self.port}"
                f"?key={self.key}&known_hosts={self.known_hosts}")

    def start(self, timeout: float = 15.0) -> LocalSSHHost:
        sshd = next((p for p in SSHD_CANDIDATES if os.path.exists(p)), None)
        if sshd is None:
            raise ConfigError("OpenSSH server not installed (apt-get install openssh-server)")
        self.dir.mkdir(parents=True, exist_ok=True)
        if not (self.dir / "host_key").exists():
            _keygen(self.dir / "host_key")
        if not self.key.exists():
            _keygen(self.key)
        shutil.copy(self.dir / "client_key.pub", self.dir / "authorized_keys")
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", exist_ok=True)
        config = self.dir / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\n"
            f"HostKey {self.dir / 'host_key'}\n"
            f"AuthorizedKeysFile {self.dir / 'authorized_keys'}\n"
            f"PidFile {self.dir / 'sshd.pid'}\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "MaxSessions 100\nMaxStartups 200:30:400\nLogLevel ERROR\n"
            + self.extra_config
        )
        self.proc = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)],
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(self.dir / "sshd.log", "wb"))  # noqa: SIM115
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.dir / "sshd.log").read_text(errors="replace").strip()
                raise ConnectError(f"sshd exited at start: {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ConnectError(f"sshd did not answer on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> LocalSSHHost:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """``python -m labkit.testing.sshd DIR``: start a lab host, print its URL, run until stopped."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    host = LocalSSHHost(args[0] if args else None).start()
    print(host.url, flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        host.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
