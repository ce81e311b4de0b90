"""SSH transport on paramiko: one connection per host, one channel per command.

Jump hosts: ``via=ssh://user@hypervisor:port?key=…`` reaches the host through a
``direct-tcpip`` channel of the jump host's connection. All transports that name the same jump
host share ONE paramiko connection to it (a class's lab VMs behind one hypervisor cost one
login there), opened on first use and closed when the last of them closes.

Time limits: ``timeout=`` in the URL bounds the connection and every command on that host
(the teacher's limit wins over a longer one asked by a caller). A command that runs past its
limit is killed on the host, not left running: it runs under ``timeout(1)`` (which kills its
whole process group) where the host has it, and labkit also sends the SSH ``signal`` request
(KILL) before closing the channel.

Host keys are kept by labkit in its own known_hosts file: a host seen for the first time is
added (accept-new); afterwards a changed key is refused, as OpenSSH's StrictHostKeyChecking does.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import math
import os
import select
import shlex
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paramiko

from labkit.errors import AuthError, CommandTimeout, ConnectError
from labkit.settings import current
from labkit.transports.base import DEFAULT_TIMEOUT, CommandResult, Transport

#: Output above this size (per stream) is cut; the command's exit code is still reported.
MAX_OUTPUT = 16 * 1024 * 1024

# labkit turns paramiko's errors into its own one-line messages; without a handler, Python's
# last-resort handler would print paramiko's thread tracebacks (e.g. "Error reading SSH
# protocol banner") on stderr, in the terminal or the notebook.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


def default_known_hosts() -> Path:
    return current().home / "known_hosts"


#: Serialises reading and writing known_hosts files between threads (a class graded at once);
#: an flock on a sibling ``.lock`` file does the same between processes.
_KNOWN_HOSTS_LOCK = threading.Lock()


@contextlib.contextmanager
def _known_hosts_locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _KNOWN_HOSTS_LOCK, open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load_known_hosts(client: paramiko.SSHClient, path: Path) -> None:
    with _known_hosts_locked(path):
        if path.exists():
            client.load_host_keys(str(path))


class _AcceptNew(paramiko.MissingHostKeyPolicy):
    """Trust a host on first contact and remember its key.

    The file is re-read and merged before it is written (to a temporary file, then renamed),
    so hosts first seen at the same time by different threads or processes are all kept.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str,
                         key: paramiko.PKey) -> None:
        client.get_host_keys().add(hostname, key.get_name(), key)
        with _known_hosts_locked(self.path):
            merged = paramiko.HostKeys()
            if self.path.exists():
                merged.load(str(self.path))
            known = merged.lookup(hostname)
            if known is not None and key.get_name() in known \
                    and known[key.get_name()] != key:
                raise paramiko.BadHostKeyException(hostname, key, known[key.get_name()])
            merged.add(hostname, key.get_name(), key)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            merged.save(str(tmp))
            os.replace(tmp, self.path)


def wrap_command(command: str, timeout: float) -> str:
    """``command`` under ``timeout(1)`` where the host has it: at the limit its whole process
    group gets TERM, then KILL two seconds later. A host without ``timeout`` runs it as is."""
    quoted = shlex.quote(command)
    limit = max(1, math.ceil(timeout)) + 1  # labkit's own deadline comes first
    return (f"if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 {limit} "
            f"/bin/sh -c {quoted}; else exec /bin/sh -c {quoted}; fi")


def _send_kill(chan: paramiko.Channel) -> None:
    """Ask the SSH server to KILL the channel's command (RFC 4254 ``signal``); best effort."""
    transport = chan.get_transport()
    if transport is None or chan.closed:
        return
    message = paramiko.Message()
    message.add_byte(bytes([98]))  # SSH_MSG_CHANNEL_REQUEST
    message.add_int(chan.remote_chanid)
    message.add_string("signal")
    message.add_boolean(False)
    message.add_string("KILL")
    with contextlib.suppress(Exception):
        transport._send_user_message(message)  # type: ignore[attr-defined]


class _Jump:
    """One shared connection to a jump host, counted by the transports that use it."""

    def __init__(self, transport: SSHTransport) -> None:
        self.transport = transport
        self.users = 0


_JUMPS: dict[str, _Jump] = {}
_JUMPS_LOCK = threading.Lock()


def _jump_key(url: str) -> str:
    return url


def _acquire_jump(url: str, connect_timeout: float) -> SSHTransport:
    from labkit.transports import open_transport, parse_url

    with _JUMPS_LOCK:
        jump = _JUMPS.get(_jump_key(url))
        if jump is None:
            parsed = parse_url(url)
            if parsed.scheme != "ssh":
                raise ConnectError(f"via= must be an ssh:// URL, not {parsed.display}")
            if "via" in parsed.options:
                raise ConnectError(f"{parsed.display}: a jump host through another jump host "
                                   "is not supported")
            opened = open_transport(parsed)
            assert isinstance(opened, SSHTransport)
            if "timeout" not in parsed.options:
                opened.connect_timeout = connect_timeout
            jump = _Jump(opened)
            _JUMPS[_jump_key(url)] = jump
        jump.users += 1
        return jump.transport


def _release_jump(url: str) -> None:
    with _JUMPS_LOCK:
        jump = _JUMPS.get(_jump_key(url))
        if jump is None:
            return
        jump.users -= 1
        if jump.users <= 0:
            del _JUMPS[_jump_key(url)]
            jump.transport.close()


def jump_connections() -> int:
    """How many jump-host connections are open (tests and benchmarks check sharing)."""
    with _JUMPS_LOCK:
        return sum(1 for j in _JUMPS.values() if j.transport._client is not None)


class SSHTransport(Transport):
    """Run commands over SSH. Connects on first use; ``close()`` ends the connection.

    ``command_timeout``: the most any command may take on this host (the URL's ``timeout=``),
    whatever a caller asks. ``via``: the URL of a jump host (see the module docstring).
    """

    def __init__(self, host: str, *, port: int = 22, user: str = "root",
                 key_filename: str | None = None, known_hosts: str | None = None,
                 connect_timeout: float = 10.0, url: str = "",
                 command_timeout: float | None = None, via: str | None = None) -> None:
        self.host, self.port, self.user = host, port, user
        self.key_filename = key_filename
        self.known_hosts = Path(known_hosts) if known_hosts else default_known_hosts()
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self.via = via or None
        self.url = url or f"ssh://{user}@{host}:{port}"
        if self.via and " via " not in self.url:
            from labkit.transports import parse_url

            self.url += f" via {parse_url(self.via).display}"
        self._client: paramiko.SSHClient | None = None
        self._jump: SSHTransport | None = None
        self._lock = threading.Lock()

    def _tunnel(self, where: str) -> paramiko.Channel | None:
        """A ``direct-tcpip`` channel to this host through the jump host, or None."""
        if not self.via:
            return None
        if self._jump is None:
            self._jump = _acquire_jump(self.via, self.connect_timeout)
        jump_client = self._jump._connect()
        transport = jump_client.get_transport()
        if transport is None:
            raise ConnectError(f"{where}: the jump host {self._jump.url} closed the connection")
        try:
            return transport.open_channel("direct-tcpip", (self.host, self.port),
                                          ("127.0.0.1", 0), timeout=self.connect_timeout)
        except paramiko.ChannelException as exc:
            raise ConnectError(f"{where}: the jump host {self._jump.url} cannot reach it "
                               f"({exc.text or exc.code})") from None
        except (paramiko.SSHException, OSError, EOFError) as exc:
            self._jump.close()
            raise ConnectError(f"{where}: through the jump host {self._jump.url}: "
                               f"{exc or type(exc).__name__}") from None

    # -- connection -------------------------------------------------------------------------
    def _connect(self) -> paramiko.SSHClient:
        with self._lock:
            if self._client is not None:
                transport = self._client.get_transport()
                if transport is not None and transport.is_active():
                    return self._client
                self._client.close()
            client = paramiko.SSHClient()
            _load_known_hosts(client, self.known_hosts)
            client.set_missing_host_key_policy(_AcceptNew(self.known_hosts))
            where = f"{self.user}@{self.host}:{self.port}"
            try:
                sock = self._tunnel(where)
            except BaseException:
                client.close()
                raise
            try:
                client.connect(
                    self.host, port=self.port, username=self.user,
                    key_filename=self.key_filename, timeout=self.connect_timeout,
                    banner_timeout=self.connect_timeout, auth_timeout=self.connect_timeout,
                    channel_timeout=self.connect_timeout,
                    allow_agent=self.key_filename is None,
                    look_for_keys=self.key_filename is None,
                    sock=sock,
                )
            except paramiko.BadHostKeyException:
                client.close()
                raise ConnectError(
                    f"{where}: the host key changed since labkit first saw it "
                    f"(remove the line for this host from {self.known_hosts} if it was rebuilt)"
                ) from None
            except paramiko.AuthenticationException:
                client.close()
                raise AuthError(f"{where}: the SSH key was refused"
                                + (f" ({self.key_filename})" if self.key_filename else "")) \
                    from None
            except TimeoutError:
                client.close()
                raise ConnectError(f"{where}: no answer within {self.connect_timeout:g} s") \
                    from None
            except FileNotFoundError as exc:
                client.close()
                raise ConnectError(f"{where}: key file not found: {exc.filename}") from None
            except (OSError, paramiko.SSHException, EOFError) as exc:
                client.close()
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                if reason in ("Error reading SSH protocol banner", "No existing session"):
                    # Something accepted the TCP connection but never spoke SSH in time.
                    reason = (f"no SSH answer within {self.connect_timeout:g} s "
                              "(is an SSH server listening on that port?)")
                raise ConnectError(f"{where}: cannot connect: {reason}") from None
            self._client = client
            return client

    def connect(self) -> None:
        """Connect now instead of at the first command (``Host.connect_soon``)."""
        self._connect()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._jump is not None and self.via:
                self._jump = None
                _release_jump(self.via)

    def host_key_fingerprint(self) -> str | None:
        """The host key of the connected server as OpenSSH shows it (``SHA256:…``), or None
        before the first command. Read-only: it does not connect (labkit.evidence)."""
        import base64
        import hashlib

        client = self._client
        transport = client.get_transport() if client is not None else None
        if transport is None:
            return None
        digest = hashlib.sha256(transport.get_remote_server_key().asbytes()).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    # -- commands ---------------------------------------------------------------------------
    def start(self, command: str, stdin: Callable[[], bytes], *,
              timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        """``run``, the command started on the host before its input is known: ``stdin()``
        is called once it runs, and may wait for the input (``Host.connect_soon``)."""
        return self.run(command, timeout=timeout, stdin=stdin)

    def run(self, command: str, *, timeout: float = DEFAULT_TIMEOUT,
            stdin: bytes | Callable[[], bytes] | None = None) -> CommandResult:
        client = self._connect()
        transport = client.get_transport()
        if transport is None:
            raise ConnectError(f"{self.url}: the connection closed")
        if self.command_timeout is not None:
            timeout = min(timeout, self.command_timeout)
        started = time.monotonic()
        deadline = started + timeout
        chan: paramiko.Channel | None = None
        try:
            chan = transport.open_session(timeout=self.connect_timeout)
            chan.settimeout(self.connect_timeout)
            chan.exec_command(wrap_command(command, timeout))
            try:
                if stdin is not None:
                    chan.sendall(stdin() if callable(stdin) else stdin)
                chan.shutdown_write()
            except OSError:  # it ended without reading its input: what it printed says why
                if not (chan.closed or chan.eof_received or chan.exit_status_ready()):
                    raise
            out, err = bytearray(), bytearray()
            while True:
                while chan.recv_ready():
                    data = chan.recv(65536)
                    if len(out) < MAX_OUTPUT:
                        out += data
                while chan.recv_stderr_ready():
                    data = chan.recv_stderr(65536)
                    if len(err) < MAX_OUTPUT:
                        err += data
                if chan.exit_status_ready() and not chan.recv_ready() \
                        and not chan.recv_stderr_ready():
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    _send_kill(chan)
                    chan.close()
                    raise CommandTimeout(command, timeout)
                if chan.eof_received:
                    # After EOF the channel always polls readable: wait for the exit status
                    # instead of spinning.
                    chan.status_event.wait(min(remaining, 0.5))
                else:
                    select.select([chan], [], [], min(remaining, 0.5))
            code = chan.recv_exit_status()
            chan.close()
        except CommandTimeout:  # a TimeoutError, hence an OSError: not a broken connection
            raise
        except (paramiko.SSHException, OSError, EOFError) as exc:
            self.close()
            raise ConnectError(f"{self.url}: the connection broke: {exc}") from None
        return CommandResult(command, code, out[:MAX_OUTPUT].decode("utf-8", "replace"),
                             err[:MAX_OUTPUT].decode("utf-8", "replace"),
                             time.monotonic() - started)
