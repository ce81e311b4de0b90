"""End to end on the ``storage`` topology: real kernel features inside the lab VMs.

The tests share one lab (module fixture) and run in file order; ``test_reset`` is last.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from labkit.sandbox import Lab, lab_hosts

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(1800)]


def sh(lab: Lab, host: str, command: str, timeout: float = 180) -> str:
    """Run ``command`` on ``host``; fail the test with its output if it fails."""
    __tracebackhide__ = True
    result = lab.run(host, "set -e; " + command, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"{host}: exit {result.returncode}\n$ {command}\n"
                    f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def test_status_roles_and_urls(storage_lab: Lab) -> None:
    status = storage_lab.status()
    assert status["accel"] in ("kvm", "tcg")
    assert {h["role"]: h["state"] for h in status["hosts"]} == {
        "server": "running", "client": "running"}
    hosts = lab_hosts("e2e-storage")
    assert set(hosts) == {"server", "client"}
    for url in hosts.values():
        parts = urlsplit(url)
        assert parts.scheme == "ssh" and parts.hostname == "127.0.0.1"
        assert parts.username == "root"
        query = parse_qs(parts.query)
        assert Path(query["key"][0]).is_file()
        assert Path(query["known_hosts"][0]).is_file()
    ports = {urlsplit(u).port for u in hosts.values()}
    assert len(ports) == 2


def _identity(lab: Lab, host: str) -> tuple[str, str]:
    """(machine id, SSH host key) of ``host``."""
    machine_id, key = sh(lab, host, "cat /etc/machine-id; "
                         "cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub").split()
    return machine_id, key


def test_hostnames_clock_and_lab_network(storage_lab: Lab) -> None:
    assert sh(storage_lab, "server", "hostname").strip() == "server"
    # both come from one warm snapshot, yet each is a machine of its own
    server, client = _identity(storage_lab, "server"), _identity(storage_lab, "client")
    assert len(server[0]) == len(client[0]) == 32
    assert server[0] != client[0] and server[1] != client[1]
    guest = int(sh(storage_lab, "client", "date +%s"))
    assert abs(guest - time.time()) < 10, "the restored guest clock was not fixed"
    assert "192.168.100.20/24" in sh(storage_lab, "client", "ip -4 -o addr show eth1")
    sh(storage_lab, "client", "ping -c 2 -W 3 server")
    # restrict=on: the guest cannot open connections through the management NIC, not even
    # to the host's loopback (10.0.2.2), e.g. to its own forwarded SSH port there
    port = storage_lab.status()["hosts"][1]["ssh_port"]
    blocked = storage_lab.run("client", f"timeout 5 bash -c 'echo > /dev/tcp/10.0.2.2/{port}'")
    assert blocked.returncode != 0


def test_lvm_snapshot_thin_and_raid1(storage_lab: Lab) -> None:
    out = sh(storage_lab, "server", """
        pvcreate -q /dev/vdb /dev/vdc /dev/vdd
        vgcreate -q vg0 /dev/vdb /dev/vdc /dev/vdd
        lvcreate -q -y -L 100M -n data vg0
        mkfs.ext4 -q /dev/vg0/data
        lvcreate -q -y -s -L 52M -n data_snap vg0/data
        lvcreate -q -y -L 200M -T vg0/pool
        lvcreate -q -y -V 500M -T vg0/pool -n thin1
        lvcreate -q -y --type raid1 -m 1 -L 64M -n mirror vg0
        lvs --noheadings --separator '|' -o lv_name,segtype,origin,pool_lv vg0
    """)
    rows = {line.split("|")[0].strip(): line.strip().split("|")
            for line in out.strip().splitlines()}
    assert rows["data_snap"][2] == "data"
    assert rows["pool"][1] == "thin-pool"
    assert rows["thin1"][1:4] == ["thin", "", "pool"]
    assert rows["mirror"][1] == "raid1"
    # the spare disks keep stable names
    assert "virtio-labkit-disk1" in sh(storage_lab, "server", "ls /dev/disk/by-id/")


def test_vlan_subinterface(storage_lab: Lab) -> None:
    for host, ip in (("server", "10.10.10.1"), ("client", "10.10.10.2")):
        sh(storage_lab, host, f"""
            ip link add link eth1 name eth1.10 type vlan id 10
            ip addr add {ip}/24 dev eth1.10
            ip link set eth1.10 up
        """)
    assert "eth1.10" in sh(storage_lab, "client", "cat /proc/net/vlan/config")
    sh(storage_lab, "client", "ping -c 2 -W 3 10.10.10.1")


def test_nfs_export_mounted_by_the_client(storage_lab: Lab) -> None:
    sh(storage_lab, "server", """
        mkdir -p /srv/nfs
        echo from-server > /srv/nfs/hello
        echo '/srv/nfs 192.168.100.0/24(rw,sync,no_root_squash,no_subtree_check)' > /etc/exports
        systemctl restart nfs-server
        exportfs -ra
    """)
    out = sh(storage_lab, "client", """
        mkdir -p /mnt/nfs
        mount -t nfs -o vers=4.2 server:/srv/nfs /mnt/nfs
        cat /mnt/nfs/hello
        echo from-client > /mnt/nfs/back
        findmnt -n -o FSTYPE /mnt/nfs
        umount /mnt/nfs
    """)
    assert "from-server" in out and "nfs4" in out
    assert sh(storage_lab, "server", "cat /srv/nfs/back").strip() == "from-client"


def test_iscsi_target_and_initiator(storage_lab: Lab) -> None:
    iqn = "iqn.2024-01.lab.labkit:target1"
    initiator = sh(storage_lab, "client", "cat /etc/iscsi/initiatorname.iscsi").strip()
    assert initiator == "InitiatorName=iqn.2024-01.lab.labkit:client"
    sh(storage_lab, "server", f"""
        targetcli /backstores/block create name=disk0 dev=/dev/vde >/dev/null
        targetcli /iscsi create {iqn} >/dev/null
        targetcli /iscsi/{iqn}/tpg1/luns create /backstores/block/disk0 >/dev/null
        targetcli /iscsi/{iqn}/tpg1/acls create iqn.2024-01.lab.labkit:client >/dev/null
    """, timeout=300)
    out = sh(storage_lab, "client", f"""
        iscsiadm -m discovery -t sendtargets -p 192.168.100.10
        iscsiadm -m node -T {iqn} -p 192.168.100.10 --login
        udevadm settle --timeout=30
        for i in $(seq 1 30); do [ -b /dev/sda ] && break; sleep 1; done
        lsblk -S -n -o NAME,VENDOR,TRAN
        echo iscsi-data | dd of=/dev/sda bs=512 count=1 conv=sync,fsync 2>/dev/null
        dd if=/dev/sda bs=512 count=1 2>/dev/null | head -c 10; echo
        iscsiadm -m node -T {iqn} -p 192.168.100.10 --logout
    """, timeout=300)
    assert iqn in out
    assert "LIO-ORG" in out and "iscsi" in out
    assert "iscsi-data" in out


def test_ovs_bridge_with_tagged_port(storage_lab: Lab) -> None:
    out = sh(storage_lab, "server", """
        ovs-vsctl --may-exist add-br br-lab
        ip link add veth-a type veth peer name veth-b
        ovs-vsctl add-port br-lab veth-a tag=20
        ovs-vsctl get port veth-a tag
        ovs-vsctl list-ports br-lab
    """)
    assert out.split() == ["20", "veth-a"]


def test_lab_ssh_command_returns_the_exit_code(storage_lab: Lab) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "labkit.cli.sandbox", "lab", "ssh", "client",
         "--name", "e2e-storage", "--", "sh", "-c", "'exit 7'"],
        capture_output=True, text=True, timeout=120, env=dict(os.environ), check=False)
    assert result.returncode == 7, result.stderr
    status = subprocess.run(
        [sys.executable, "-m", "labkit.cli.sandbox", "lab", "status", "--name", "e2e-storage",
         "--json"], capture_output=True, text=True, timeout=120, check=False)
    data = json.loads(status.stdout)
    assert [h["name"] for h in data["hosts"]] == ["server", "client"]


def test_reset_brings_a_host_back_to_clean(storage_lab: Lab, timings: dict[str, float]
                                           ) -> None:
    sh(storage_lab, "client", "touch /root/lab/before-reset; mkdir -p /mnt/x")
    sh(storage_lab, "server", "touch /root/lab/keep-me")
    url_before = lab_hosts("e2e-storage")["client"]
    started = time.monotonic()
    storage_lab.reset("client")
    timings["lab reset client"] = round(time.monotonic() - started, 1)
    assert sh(storage_lab, "client", "ls /root/lab").split() == ["README"]
    assert "eth1.10" not in sh(storage_lab, "client", "ip -o link")
    assert abs(int(sh(storage_lab, "client", "date +%s")) - time.time()) < 10
    assert sh(storage_lab, "client", "hostname").strip() == "client"
    sh(storage_lab, "client", "ping -c 1 -W 3 server")
    assert lab_hosts("e2e-storage")["client"] == url_before
    assert _identity(storage_lab, "client")[0] != _identity(storage_lab, "server")[0]
    # the other host is untouched
    assert "keep-me" in sh(storage_lab, "server", "ls /root/lab")
    # and the spare disks are clean again on a reset server
    storage_lab.reset("server")
    assert sh(storage_lab, "server", "pvs --noheadings").strip() == ""
