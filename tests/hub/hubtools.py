"""What the hub tests share: Unix users, a hypervisor's loopback sshd, a JupyterHub run as
root with a test service token, and code run in a kernel of a student's server."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from labkit.testing.sshd import LocalSSHHost, free_port

#: A Python every student can read, with JupyterHub's single-user server and labkit.
HUB_VENV = Path("/opt/labkit-hub")
HUB_TOKEN = "labkit-test-" + os.urandom(12).hex()


def ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", name], check=True, timeout=30)
    # A locked password ("!") refuses even key logins when sshd runs without PAM.
    subprocess.run(["usermod", "-p", "*", name], check=True, timeout=30)


class HypervisorSSHD:
    """sshd on 127.0.0.1 for one hypervisor user: the test's key, and the user's own
    ~/.ssh/authorized_keys (where ``class up`` lets students jump to their own VMs)."""

    def __init__(self, user: str) -> None:
        # sshd reads authorized_keys as the user: the folder must be one they can enter
        # (pytest's own temporary folders are root's alone).
        self.dir = Path(tempfile.mkdtemp(prefix=f"labkit-sshd-{user}-"))
        self.dir.chmod(0o755)
        self.user = user
        self.server = LocalSSHHost(self.dir)
        self.port = self.server.port

    def start(self) -> None:
        # LocalSSHHost's config names its own authorized_keys; sshd takes the first
        # AuthorizedKeysFile, so a second one is given as a Match block for this user.
        self.server.extra_config = (f"Match User {self.user}\n"
                                    f"  AuthorizedKeysFile {self.dir}/authorized_keys "
                                    ".ssh/authorized_keys\n")
        self.server.user = self.user
        self.server.start()

    @property
    def key(self) -> Path:
        return self.server.key

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def hub_venv() -> Path:
    """The students' Python: a venv every user can read (not one under /root), made once."""
    single = HUB_VENV / "bin" / "jupyterhub-singleuser"
    if not single.exists():
        python = shutil.which("python3", path="/usr/bin:/bin") or "/usr/bin/python3"
        subprocess.run([python, "-m", "venv", str(HUB_VENV)], check=True, timeout=120)
        root = Path(__file__).resolve().parents[2]
        subprocess.run([str(HUB_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "-e",
                        f"{root}[class]"], check=True, timeout=1200)
    return single


def api(port: int, method: str, path: str, body: object = None) -> object:
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/hub/api{path}", data=data,
                                     method=method,
                                     headers={"Authorization": f"token {HUB_TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


@contextmanager
def running_hub(roster: Path, users: list[str], state: Path,
                env: dict[str, str], **config: object) -> Iterator[int]:
    """JupyterHub (as root) for the class of ``roster``; yields its port."""
    from labkit.hub.config import write_config

    single = hub_venv()
    for user in users:
        ensure_user(user)
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = write_config(state / "jupyterhub_config.py", roster=roster, port=port,
                          dummy_password="labkit", singleuser=str(single),
                          users=list(users), state_dir=str(state),
                          **config)  # type: ignore[arg-type]
    with config.open("a") as handle:
        handle.write(
            "c.JupyterHub.services = list(c.JupyterHub.get('services', [])) + "
            f"[{{'name': 'labkit-test', 'api_token': {HUB_TOKEN!r}}}]\n"
            "c.JupyterHub.load_roles = [{'name': 'labkit-test', 'services': ['labkit-test'],"
            " 'scopes': ['admin:users', 'admin:servers', 'access:servers', 'read:users']}]\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'\n"
            f"c.JupyterHub.hub_port = {free_port()}\n")
    log = (state / "hub.log").open("wb")
    hub_bin = Path(sys.executable).with_name("jupyterhub")
    proc = subprocess.Popen([str(hub_bin), "-f", str(config)], cwd=state, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                api(port, "GET", "/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((state / "hub.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield port
    finally:
        proc.terminate()  # the hub stops the students' servers on exit (cleanup_servers)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def start_servers(port: int, users: list[str]) -> dict[str, str]:
    """Spawn each user's server through the hub's API; user -> the server's URL."""
    import urllib.error

    try:  # allowed_users may already exist in the hub's database
        api(port, "POST", "/users", {"usernames": list(users)})
    except urllib.error.HTTPError as exc:
        if exc.code != 409:
            raise
    for user in users:
        api(port, "POST", f"/users/{user}/server")
    urls = {}
    for user in users:
        deadline = time.monotonic() + 120
        while True:
            model = api(port, "GET", f"/users/{user}")
            server = model["servers"].get("", {})  # type: ignore[index]
            if server.get("ready"):
                break
            assert time.monotonic() < deadline, f"{user}'s server did not start"
            time.sleep(1)
        urls[user] = f"http://127.0.0.1:{port}{server['url']}"
    return urls


def run_in_kernel(server_url: str, code: str) -> str:
    """Execute ``code`` in a new kernel of a student's server; return what it printed and
    its last value."""
    import asyncio
    import urllib.request
    import uuid as uuidlib

    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {HUB_TOKEN}"}
    request = urllib.request.Request(f"{server_url}api/kernels", data=b"{}", method="POST",
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        kernel = json.loads(response.read())["id"]

    async def run() -> str:
        ws_url = server_url.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels"
        from tornado.httpclient import HTTPRequest

        conn = await websocket_connect(HTTPRequest(ws_url, headers=headers))
        msg_id = uuidlib.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t",
                       "session": uuidlib.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        out = []
        while True:
            raw = await asyncio.wait_for(conn.read_message(), 300)
            if raw is None:
                break
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                out.append(content["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                out.append("ERROR " + content["ename"] + ": " + content["evalue"])
            elif kind == "status" and content["execution_state"] == "idle":
                break
        conn.close()
        return "".join(out)

    return asyncio.run(run())


