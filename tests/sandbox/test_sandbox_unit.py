"""Fast sandbox tests: no VM is booted (command lines, topologies, pid files, ports,
the KVM fallback decision, the lab switch on real unix sockets, the CLI's error path)."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from labkit.cli.sandbox import add_commands
from labkit.errors import LabkitError, SandboxError
from labkit.sandbox import accel, guest, image, procs, qemu, switch, topology
from labkit.sandbox.ports import pick_port, port_is_free
from labkit.sandbox.sshcmd import host_url, known_hosts_lines, ssh_argv


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LABKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("LABKIT_LAB", raising=False)
    return tmp_path


def make_config(tmp_path: Path, **changes: object) -> qemu.VMConfig:
    d = tmp_path
    base = dict(
        name="labkit-t-host", accel="tcg", kernel=d / "vmlinuz", initrd=d / "initrd.img",
        root_disk=d / "root.qcow2", extra_disks=tuple(d / f"disk{i}.qcow2" for i in range(1, 5)),
        ssh_port=2222, qmp_socket=d / "qmp.sock", agent_socket=d / "qga.sock",
        serial_log=d / "console.log", pidfile=d / "qemu.pid", lab_mac="52:54:00:4c:42:01",
    )
    base.update(changes)
    return qemu.VMConfig(**base)  # type: ignore[arg-type]


# -- QEMU command line ----------------------------------------------------------------------
def test_qemu_argv_is_a_list_of_strings(tmp_path: Path) -> None:
    argv = qemu.qemu_argv(make_config(tmp_path))
    assert argv[0] == "qemu-system-x86_64"
    assert all(isinstance(a, str) for a in argv)
    assert "-daemonize" in argv
    assert argv[argv.index("-pidfile") + 1] == str(tmp_path / "qemu.pid")


def test_qemu_argv_ssh_forward_is_loopback_only_and_restricted(tmp_path: Path) -> None:
    argv = qemu.qemu_argv(make_config(tmp_path, ssh_port=40123))
    user = [a for a in argv if a.startswith("user,")]
    assert user == ["user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:40123-:22"]
    assert sum("hostfwd" in a for a in argv) == 1


def test_qemu_argv_disks_have_stable_serials_and_slots(tmp_path: Path) -> None:
    argv = qemu.qemu_argv(make_config(tmp_path))
    devices = [argv[i + 1] for i, a in enumerate(argv) if a == "-device"]
    blk = [d for d in devices if d.startswith("virtio-blk-pci")]
    assert len(blk) == 5
    for index in range(1, 5):
        assert any(f"serial=labkit-disk{index}" in d and f"addr={0x4 + index:#04x}" in d
                   for d in blk)


def test_every_spare_disk_has_its_own_slot_in_guest_order(tmp_path: Path) -> None:
    """Nine spare disks: vdb..vde (0x05-0x08), vdf..vdi (0x0b-0x0e), vdj (0x0f); no slot is
    shared with the NICs, the root disk, the agent's serial port or the RNG."""
    disks = tuple(tmp_path / f"disk{i}.qcow2" for i in range(1, qemu.DISK_COUNT + 1))
    argv = qemu.qemu_argv(make_config(tmp_path, extra_disks=disks))
    devices = [argv[i + 1] for i, a in enumerate(argv) if a == "-device"]
    slots = [int(d.split("addr=")[1].split(",")[0], 16) for d in devices if "addr=" in d]
    assert len(slots) == len(set(slots)) == 2 + 1 + qemu.DISK_COUNT + 2
    spare = [qemu.disk_slot(i) for i in range(1, qemu.DISK_COUNT + 1)]
    assert qemu.DISK_COUNT == 9
    assert spare == [0x05, 0x06, 0x07, 0x08, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]
    assert any("serial=labkit-disk9" in d and "addr=0x0f" in d for d in devices)
    with pytest.raises(ValueError):
        qemu.disk_slot(qemu.DISK_COUNT + 1)


def test_warm_key_follows_the_virtual_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change of the spare disks gives another warm snapshot (an old one is never loaded
    into a VM with other disks)."""
    from labkit.sandbox import warm
    from labkit.sandbox.image import Image

    image = Image(Path("/nonexistent/abc"))
    before = warm.warm_key(image, "tcg", "QEMU 7.2")
    monkeypatch.setattr(warm, "DISK_COUNT", warm.DISK_COUNT - 1)
    assert warm.warm_key(image, "tcg", "QEMU 7.2") != before


def _personalise_here(tmp_path: Path, identity: guest.VMIdentity) -> str:
    """Run the guest's personalisation here: its /etc under ``tmp_path``, and ``labkit-setup``
    (which changes the network) replaced by a stand-in that checks its arguments; returns
    the machine id written."""
    etc = tmp_path / "etc"
    (etc / "ssh").mkdir(parents=True, exist_ok=True)
    (etc / "machine-id").write_text("0" * 32 + "\n")
    (etc / "ssh" / "ssh_host_rsa_key").write_text("the image's\n")
    argv = guest.personalise_argv(["vm1", "1700000000.0", "192.168.100.10/24",
                                   "52:54:00:00:00:10", "ssh-ed25519 STUDENT"], identity)
    script = argv[2].replace('/usr/local/sbin/labkit-setup "$@"',
                             '{ test "$1 $5" = "vm1 ssh-ed25519 STUDENT" && '
                             'echo labkit-setup-ok; }') \
        .replace("/etc/", f"{etc}/").replace("/var/lib/dbus/", f"{tmp_path}/")
    done = subprocess.run(["/bin/sh", "-c", script, *argv[3:]],
                          input=identity.private_key.encode(), capture_output=True, timeout=30,
                          check=False)
    guest.check_personalised("vm", done.returncode, done.stdout.decode(), done.stderr.decode())
    assert sorted(p.name for p in (etc / "ssh").iterdir()) == [
        "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"]
    private = etc / "ssh" / "ssh_host_ed25519_key"
    assert private.read_text() == identity.private_key
    assert oct(private.stat().st_mode & 0o777) == "0o600"
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(private)], capture_output=True,
                             text=True, timeout=30, check=True).stdout.split()[:2]
    assert " ".join(derived) == identity.public_key == \
        (etc / "ssh" / "ssh_host_ed25519_key.pub").read_text().strip()
    return (etc / "machine-id").read_text()


def test_each_vm_keeps_its_own_identity_across_resets(tmp_path: Path) -> None:
    from labkit.sandbox.sshcmd import make_identity

    one = make_identity(tmp_path / "keys" / "server", "labkit-test-server")
    two = make_identity(tmp_path / "keys" / "client", "labkit-test-client")
    assert one.machine_id != two.machine_id and one.public_key != two.public_key
    assert make_identity(tmp_path / "keys" / "server", "labkit-test-server") == one
    for _reset in range(2):
        assert _personalise_here(tmp_path, one) == one.machine_id + "\n"
    assert _personalise_here(tmp_path, two) == two.machine_id + "\n"
    with pytest.raises(SandboxError, match="not a machine id"):
        guest.personalise_argv([], guest.VMIdentity("0123; reboot", one.public_key, ""))
    with pytest.raises(SandboxError, match="not an ed25519 public key"):
        guest.personalise_argv([], guest.VMIdentity(one.machine_id, "ssh-ed25519 A; x", ""))


def test_a_failed_setup_is_an_error() -> None:
    with pytest.raises(SandboxError, match="setting up vm failed"):
        guest.check_personalised("vm", 1, "", "labkit-setup: ip: no such device")
    with pytest.raises(SandboxError, match="setting up vm failed"):
        guest.check_personalised("vm", 0, "labkit-identity-ok", "")  # setup never said ok


def test_qemu_argv_accelerators(tmp_path: Path) -> None:
    tcg = qemu.qemu_argv(make_config(tmp_path, accel="tcg"))
    kvm = qemu.qemu_argv(make_config(tmp_path, accel="kvm"))
    assert tcg[tcg.index("-accel") + 1].startswith("tcg")
    assert tcg[tcg.index("-cpu") + 1] == "max"
    assert kvm[kvm.index("-accel") + 1] == "kvm"
    assert kvm[kvm.index("-cpu") + 1] == "host"
    with pytest.raises(ValueError):
        qemu.qemu_argv(make_config(tmp_path, accel="hax"))


def test_qemu_argv_loadvm_and_lab_link(tmp_path: Path) -> None:
    alone = qemu.qemu_argv(make_config(tmp_path))
    assert "-loadvm" not in alone
    assert "hubport,id=lab,hubid=0" in alone
    link = qemu.LabLink(local=tmp_path / "eth1.sock", switch=tmp_path / "switch.sock")
    argv = qemu.qemu_argv(make_config(tmp_path, loadvm="labkit-warm", lab_link=link))
    assert argv[argv.index("-loadvm") + 1] == "labkit-warm"
    netdevs = [argv[i + 1] for i, a in enumerate(argv) if a == "-netdev"]
    assert any(n.startswith("dgram,id=lab,local.type=unix") and "switch.sock" in n
               for n in netdevs)


def test_qemu_argv_refuses_commas_in_paths(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="comma"):
        qemu.qemu_argv(make_config(tmp_path, root_disk=tmp_path / "a,b.qcow2"))


def test_overlay_and_disk_commands(tmp_path: Path) -> None:
    assert qemu.overlay_argv(Path("/b.qcow2"), Path("/o.qcow2")) == [
        "qemu-img", "create", "-q", "-f", "qcow2", "-b", "/b.qcow2", "-F", "qcow2", "/o.qcow2"]
    assert qemu.blank_disk_argv(Path("/d.qcow2"))[-2:] == ["/d.qcow2", "1G"]


# -- topologies -----------------------------------------------------------------------------
def test_topologies() -> None:
    assert set(topology.TOPOLOGIES) == {"single", "storage", "network"}
    assert [h.role for h in topology.get_topology("single").hosts] == ["host"]
    assert [h.role for h in topology.get_topology("storage").hosts] == ["server", "client"]
    assert [h.role for h in topology.get_topology("network").hosts] == ["router", "a", "b"]
    assert not topology.get_topology("single").switched
    assert topology.get_topology("storage").switched
    with pytest.raises(SandboxError, match="unknown topology"):
        topology.get_topology("mesh")


@pytest.mark.parametrize("name", sorted(topology.TOPOLOGIES))
def test_topology_addresses_and_macs_are_unique(name: str) -> None:
    hosts = topology.TOPOLOGIES[name].hosts
    assert len({h.lab_ip for h in hosts}) == len(hosts)
    assert len({h.lab_mac for h in hosts}) == len(hosts)
    for h in hosts:
        assert h.lab_ip.startswith("192.168.100.")
        assert int(h.lab_mac.split(":")[0], 16) & 1 == 0  # unicast
    assert topology.TOPOLOGIES[name].host(hosts[0].role) == hosts[0]
    with pytest.raises(SandboxError, match="no host"):
        topology.TOPOLOGIES[name].host("nope")


# -- ports ---------------------------------------------------------------------------------
def test_pick_port_returns_a_free_loopback_port() -> None:
    port = pick_port()
    assert 1024 < port < 65536
    assert port_is_free(port)


def test_port_in_use_is_seen_and_avoided() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert not port_is_free(taken)
        assert pick_port(avoid=[taken]) != taken


# -- pid files -----------------------------------------------------------------------------
def test_stale_pidfile_of_dead_process_is_removed(tmp_path: Path) -> None:
    pidfile = tmp_path / "qemu.pid"
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    pidfile.write_text(f"{proc.pid}\n")
    assert procs.read_pid(pidfile) is None
    assert not pidfile.exists()


def test_pidfile_naming_an_unrelated_process_is_not_trusted(tmp_path: Path) -> None:
    pidfile = tmp_path / "qemu.pid"
    pidfile.write_text(f"{os.getpid()}\n")  # alive, but not started with this pid file
    assert procs.read_pid(pidfile) is None
    assert not pidfile.exists()


def test_garbage_pidfile(tmp_path: Path) -> None:
    pidfile = tmp_path / "qemu.pid"
    pidfile.write_text("not a pid")
    assert procs.read_pid(pidfile) is None


def test_live_marked_process_is_found_and_terminated(tmp_path: Path) -> None:
    pidfile = tmp_path / "x.pid"
    proc = subprocess.Popen([sys.executable, "-c", "import time,sys; time.sleep(60)",
                             str(pidfile)])
    try:
        pidfile.write_text(f"{proc.pid}\n")
        assert procs.read_pid(pidfile) == proc.pid
        procs.terminate(proc.pid, str(pidfile), timeout=5)
        proc.wait(timeout=5)
        assert procs.read_pid(pidfile) is None
    finally:
        proc.kill()
        proc.wait()


# -- accelerator choice --------------------------------------------------------------------
def test_choose_accel_falls_back_to_tcg() -> None:
    assert accel.choose_accel(None, lambda: (False, "broken"))[0] == "tcg"
    assert accel.choose_accel("auto", lambda: (True, "fine")) == ("kvm", "fine")


def test_choose_accel_override_skips_the_probe() -> None:
    def boom() -> tuple[bool, str]:
        raise AssertionError("probe must not run")
    assert accel.choose_accel("tcg", boom)[0] == "tcg"
    assert accel.choose_accel("kvm", boom)[0] == "kvm"
    with pytest.raises(SandboxError):
        accel.choose_accel("xen", boom)


def test_probe_verdict() -> None:
    panic = "VFS: Unable to mount root fs\nKernel panic - not syncing"
    assert accel.probe_verdict(0, panic, "")
    assert not accel.probe_verdict(None, "", "")  # hung: nested KVM emulation failure
    assert not accel.probe_verdict(0, panic, "KVM internal error. Suberror: 1")
    assert not accel.probe_verdict(1, "", "Could not access KVM kernel module")
    assert not accel.probe_verdict(0, "", "")


def test_detect_accel_caches_per_boot(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fake_probe(kernel: Path) -> tuple[bool, str]:
        calls.append(kernel)
        return False, "KVM does not work here (test)"

    monkeypatch.delenv("LABKIT_ACCEL", raising=False)
    monkeypatch.setattr(accel, "probe_kvm", fake_probe)
    assert accel.detect_accel(Path("/k"))[0] == "tcg"
    assert accel.detect_accel(Path("/k"))[0] == "tcg"
    assert len(calls) == 1
    monkeypatch.setenv("LABKIT_ACCEL", "kvm")
    assert accel.detect_accel(Path("/k"))[0] == "kvm"


def test_probe_argv_never_reboots(tmp_path: Path) -> None:
    argv = accel.probe_argv(Path("/vmlinuz"), tmp_path / "s.log")
    assert "-no-reboot" in argv and argv[argv.index("-accel") + 1] == "kvm"


# -- ssh -----------------------------------------------------------------------------------
def test_host_url_and_known_hosts(tmp_path: Path) -> None:
    url = host_url(2222, tmp_path / "id_ed25519", tmp_path / "known_hosts")
    assert url == (f"ssh://root@127.0.0.1:2222?key={tmp_path}/id_ed25519"
                   f"&known_hosts={tmp_path}/known_hosts")
    lines = known_hosts_lines([3, 1], "ssh-ed25519 AAAA")
    assert lines == "[127.0.0.1]:1 ssh-ed25519 AAAA\n[127.0.0.1]:3 ssh-ed25519 AAAA\n"


def test_ssh_argv_is_strict_and_keeps_the_command_apart(tmp_path: Path) -> None:
    argv = ssh_argv(2222, tmp_path / "k", tmp_path / "kh", ["echo", "a b; c"])
    assert argv[-3:] == ["--", "echo", "a b; c"]
    assert "StrictHostKeyChecking=yes" in argv
    assert "root@127.0.0.1" in argv


# -- recipe and image bundle -----------------------------------------------------------------
def test_recipe_hash_is_stable_and_tracks_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    first = image.recipe_hash()
    assert first == image.recipe_hash() and len(first) == 16
    monkeypatch.setattr(guest, "PACKAGES", (*guest.PACKAGES, "htop"))
    assert image.recipe_hash() != first


def test_customize_script_bakes_the_guest_setup() -> None:
    script = guest.customize_script()
    for unit in guest.MASKED_UNITS:
        assert unit in script
    assert "systemctl enable systemd-networkd.service" in script
    assert "update-initramfs" in script
    for package in ("linux-image-cloud-amd64", "targetcli-fb", "dbus", "qemu-guest-agent",
                    "thin-provisioning-tools", "openvswitch-switch", "open-iscsi"):
        assert package in guest.PACKAGES


def test_mmdebstrap_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABKIT_DEBIAN_MIRROR", raising=False)
    argv = image.mmdebstrap_argv(tmp_path / "root", tmp_path / "c.sh")
    assert argv[0] == "mmdebstrap" and argv[-2:] == ["bookworm", str(tmp_path / "root")]
    assert "--variant=minbase" in argv


def test_current_image_missing_is_a_clear_error(home: Path) -> None:
    with pytest.raises(SandboxError, match="labkit image build"):
        image.current_image()


def test_import_rejects_a_tar_that_is_no_bundle(home: Path) -> None:
    bogus = home / "bogus.tar"
    (home / "x.txt").write_text("x")
    with tarfile.open(bogus, "w") as tar:
        tar.add(home / "x.txt", arcname="x.txt")
    with pytest.raises(SandboxError, match="not a labkit image bundle"):
        image.import_image(bogus, progress=lambda _m: None)
    with pytest.raises(SandboxError, match="no such file"):
        image.import_image(home / "missing.tar", progress=lambda _m: None)


def test_import_export_roundtrip_with_a_tiny_disk(home: Path) -> None:
    src = home / "src"
    src.mkdir()
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(src / "disk.qcow2"), "16M"],
                   check=True)
    for name in ("vmlinuz", "initrd.img"):
        (src / name).write_bytes(b"\0" * 16)
    (src / "ssh_host_ed25519_key.pub").write_text("ssh-ed25519 AAAAC3 root@labkit\n")
    (src / "manifest.json").write_text(json.dumps({"id": "0123456789abcdef"}))
    bundle = home / "bundle.tar"
    image.export_image(bundle, image.Image(src))
    imported = image.import_image(bundle, progress=lambda _m: None)
    assert imported.id == "0123456789abcdef"
    assert image.current_image() == imported
    assert imported.host_key == "ssh-ed25519 AAAAC3"
    assert oct(imported.disk.stat().st_mode & 0o777) == "0o444"
    assert imported.manifest()["source"] == "import:bundle.tar"


# -- lab switch (real unix datagram sockets, no VM) ------------------------------------------
def frame(dst: str, src: str, payload: bytes = b"x" * 46) -> bytes:
    return bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) + \
        b"\x08\x00" + payload


def test_forward_targets_learns_and_floods() -> None:
    table: dict[bytes, str] = {}
    ports = ["a", "b", "c"]
    mac_a, mac_b = "52:54:00:00:00:0a", "52:54:00:00:00:0b"
    # unknown destination: flooded to every other port
    assert switch.forward_targets(table, ports, "a", frame(mac_b, mac_a)) == ["b", "c"]
    # b answers a: a was learned
    assert switch.forward_targets(table, ports, "b", frame(mac_a, mac_b)) == ["a"]
    assert switch.forward_targets(table, ports, "a", frame(mac_b, mac_a)) == ["b"]
    # broadcast and strangers
    assert switch.forward_targets(table, ports, "c", frame("ff:ff:ff:ff:ff:ff", mac_a)) == \
        ["a", "b"]
    assert switch.forward_targets(table, ports, "zzz", frame(mac_a, mac_b)) == []
    assert switch.forward_targets(table, ports, "a", b"short") == []


def test_switch_process_forwards_between_unix_sockets(tmp_path: Path) -> None:
    sw, pidfile = tmp_path / "sw.sock", tmp_path / "sw.pid"
    socks = {}
    for name in ("a", "b"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(str(tmp_path / f"{name}.sock"))
        s.settimeout(5)
        socks[name] = s
    subprocess.run([sys.executable, "-m", "labkit.sandbox.switch", "--socket", str(sw),
                    "--pidfile", str(pidfile), str(tmp_path / "a.sock"),
                    str(tmp_path / "b.sock")], check=True, timeout=30)
    try:
        deadline = time.monotonic() + 10
        while procs.read_pid(pidfile) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        pid = procs.read_pid(pidfile)
        assert pid is not None
        tagged = bytes.fromhex("ffffffffffff" "52540000000a" "8100000a" "0806") + b"y" * 42
        socks["a"].sendto(tagged, str(sw))
        assert socks["b"].recv(2048) == tagged  # an 802.1Q frame passes untouched
        procs.terminate(pid, str(pidfile), timeout=5)
        assert procs.read_pid(pidfile) is None
        assert not sw.exists()
    finally:
        pid = procs.read_pid(pidfile)
        if pid is not None:
            procs.terminate(pid, str(pidfile))
        for s in socks.values():
            s.close()


# -- command line --------------------------------------------------------------------------
def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="labkit")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_cli_parses_every_command() -> None:
    assert parse(["lab", "up", "storage", "--name", "x"]).topology == "storage"
    args = parse(["lab", "ssh", "server", "--", "ls", "-l"])
    assert args.host == "server" and args.command[-2:] == ["ls", "-l"]
    args = parse(["lab", "ssh", "server", "--name", "x", "--", "ls", "--", "-l"])
    assert args.command == ["--name", "x", "--", "ls", "--", "-l"]  # split in _lab_ssh
    assert parse(["lab", "reset", "client"]).host == "client"
    assert parse(["image", "import", "f.tar"]).file == "f.tar"
    for argv in (["lab", "down"], ["lab", "status", "--json"], ["image", "build", "--no-warm"],
                 ["image", "info"], ["image", "export", "x.tar"]):
        assert callable(parse(argv).func)


def test_cli_errors_are_one_line_and_exit_2(home: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    code = parse(["lab", "ssh", "server", "--", "true"]).func(parse(["lab", "ssh", "server"]))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "lab 'default' is not up" in err
    assert "Traceback" not in err


def test_cli_status_without_labs(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["lab", "status", "--json"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_lab_hosts_without_a_lab_raises(home: Path) -> None:
    from labkit.sandbox import lab_hosts
    with pytest.raises(SandboxError, match="not up"):
        lab_hosts()
    assert issubclass(SandboxError, LabkitError)


def test_down_of_a_missing_lab_is_a_noop(home: Path) -> None:
    from labkit.sandbox import Lab
    Lab("ghost").down()
    assert not (home / "home" / "labs" / "ghost").exists()


def test_bad_lab_names_are_refused(home: Path) -> None:
    from labkit.sandbox import Lab
    for bad in ("../x", "a/b", "-rf", "x" * 40, "a b"):
        with pytest.raises(SandboxError, match="invalid lab name"):
            Lab(bad)


def test_prune_keeps_what_is_used(home: Path) -> None:
    from labkit.sandbox.warm import prune_cache
    cache = home / "cache"
    for ident in ("aaaa", "bbbb"):
        (cache / "images" / ident).mkdir(parents=True)
        (cache / "images" / ident / "disk.qcow2").write_text("x")
        (cache / "images" / ident / "disk.qcow2").chmod(0o444)
        warm_dir = cache / "warm" / f"w{ident}"
        warm_dir.mkdir(parents=True)
        (warm_dir / "image").write_text(ident)
    (cache / "images" / "aaaa.build-x").mkdir()  # work in progress: never touched
    assert sorted(p.name for p in prune_cache({"aaaa"}, dry_run=True)) == ["bbbb", "wbbbb"]
    assert (cache / "images" / "bbbb").exists()
    prune_cache({"aaaa"})
    assert sorted(p.name for p in (cache / "images").iterdir()) == ["aaaa", "aaaa.build-x"]
    assert [p.name for p in (cache / "warm").iterdir()] == ["waaaa"]
