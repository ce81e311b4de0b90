"""The probe cases of this folder, as data: what ``python -m labkit.testing.capture`` makes.

Each row of ``LOCAL``, ``VM`` and ``NET`` is ``(probe, case name, args, setup)``; see
:mod:`labkit.testing.capture` for where each table's setups run, and
:mod:`labkit.testing.cases` for the files written (``<probe>/<case name>.json`` here).
"""

from __future__ import annotations

from pathlib import Path
from shlex import quote
from typing import Any

from labkit.testing.cases import DIR

CASES_DIR = Path(__file__).resolve().parent

QUOTED = "my disk 'v1' \"final\".qcow2"
QUOTED_GONE = "it's gone.qcow2"
ODD = "it's \"my\" $HOME disk.txt"
SEMI = "a;b; touch canary; $(touch canary) `touch canary`.txt"
WRITE = "qemu-io -f qcow2 -c 'write -q -P 0x5a {offset} 1M' {image}"

#: Made here, in an empty temp dir (``capture local``).
LOCAL: list[tuple[str, str, dict[str, Any], str]] = [
    # -- qemu_img.info --------------------------------------------------------------------
    ("qemu_img.info", "qcow2", {"path": f"{DIR}/disk.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 100M"),
    ("qemu_img.info", "qcow2-probed", {"path": f"{DIR}/disk.qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 100M"),
    ("qemu_img.info", "overlay", {"path": f"{DIR}/top.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 100M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     'qemu-img create -q -f qcow2 -b "$PWD/snap.qcow2" -F qcow2 top.qcow2'),
    ("qemu_img.info", "overlay-of-raw", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f raw base.raw 64M\n"
     "qemu-img create -q -f qcow2 -b base.raw -F raw snap.qcow2"),
    ("qemu_img.info", "raw", {"path": f"{DIR}/disk.raw", "format": "raw"},
     "qemu-img create -q -f raw disk.raw 64M"),
    ("qemu_img.info", "raw-as-qcow2", {"path": f"{DIR}/disk.raw", "format": "qcow2"},
     "qemu-img create -q -f raw disk.raw 64M"),
    ("qemu_img.info", "missing", {"path": f"{DIR}/nothing.qcow2", "format": "qcow2"}, "true"),
    ("qemu_img.info", "backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 100M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     "rm base.qcow2"),
    ("qemu_img.info", "quoted-name", {"path": f"{DIR}/{QUOTED}", "format": "qcow2"},
     f"qemu-img create -q -f qcow2 {quote(QUOTED)} 10M"),
    ("qemu_img.info", "quoted-name-missing", {"path": f"{DIR}/{QUOTED_GONE}", "format": "qcow2"},
     "true"),
    ("qemu_img.info", "quoted-backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     f"qemu-img create -q -f qcow2 {quote(QUOTED)} 10M\n"
     f"qemu-img create -q -f qcow2 -b {quote(QUOTED)} -F qcow2 snap.qcow2\n"
     f"rm {quote(QUOTED)}"),
    ("qemu_img.info", "directory", {"path": f"{DIR}/lab", "format": "qcow2"}, "mkdir lab"),
    # -- ip.addr in a namespace nobody made (nothing to read: the probe must fail) ------------
    ("ip.addr", "netns-missing", {"netns": "lkp-nosuchns"}, "true"),
    # -- qemu_img.map: base holds 1M at 0, the overlay 1M at 2M ------------------------------
    ("qemu_img.map", "overlay-written", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2")),
    ("qemu_img.map", "committed-base", {"path": f"{DIR}/base.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2") + "\n"
     "qemu-img commit -q snap.qcow2"),
    ("qemu_img.map", "committed-overlay", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     + WRITE.format(offset="0", image="base.qcow2") + "\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     + WRITE.format(offset="2M", image="snap.qcow2") + "\n"
     "qemu-img commit -q snap.qcow2"),
    ("qemu_img.map", "empty-qcow2", {"path": f"{DIR}/disk.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 16M"),
    ("qemu_img.map", "missing", {"path": f"{DIR}/nothing.qcow2", "format": "qcow2"}, "true"),
    ("qemu_img.map", "backing-deleted", {"path": f"{DIR}/snap.qcow2", "format": "qcow2"},
     "qemu-img create -q -f qcow2 base.qcow2 16M\n"
     "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snap.qcow2\n"
     "rm base.qcow2"),
    # -- file.stat --------------------------------------------------------------------------
    ("file.stat", "regular", {"path": f"{DIR}/notes.txt"}, "printf 'hello, labkit\\n' > notes.txt"),
    ("file.stat", "empty", {"path": f"{DIR}/empty"}, ": > empty"),
    ("file.stat", "qcow2-image", {"path": f"{DIR}/disk.qcow2"},
     "qemu-img create -q -f qcow2 disk.qcow2 1M"),
    ("file.stat", "directory", {"path": f"{DIR}/lab"}, "mkdir lab"),
    ("file.stat", "missing", {"path": f"{DIR}/nothing"}, "true"),
    ("file.stat", "symlink", {"path": f"{DIR}/link"},
     "printf 'QFI' > target\nln -s target link"),
    ("file.stat", "dangling-symlink", {"path": f"{DIR}/link"}, "ln -s nowhere link"),
    ("file.stat", "quotes-dollar", {"path": f"{DIR}/{ODD}"}, f"printf 'x' > {quote(ODD)}"),
    ("file.stat", "semicolon", {"path": f"{DIR}/{SEMI}"}, f"printf 'y' > {quote(SEMI)}"),
    ("file.stat", "semicolon-missing", {"path": f"{DIR}/{SEMI}"}, "true"),
    # -- system.*: the machine running the capture (its live test compares the shape) --------
    ("system.hostname", "this-host", {}, "true"),
    ("system.machine_id", "this-host", {}, "true"),
]


VG4 = ("pvcreate -q /dev/vdb /dev/vdc /dev/vdd /dev/vde\n"
       "vgcreate -q vgt /dev/vdb /dev/vdc /dev/vdd\n")
ADVANCED = VG4 + """
lvcreate -q -y --type raid1 -m 1 -n database -L 16M vgt
lvcreate -q -y -i 3 -n templates -L 24M vgt
lvcreate -q -y -s -n database-sn -L 8M vgt/database
lvcreate -q -y -T -L 20M vgt/pool
lvcreate -q -y -T -V 100M -n ftpserver vgt/pool
"""
MOUNTED = VG4 + """
lvcreate -q -y -n web -L 24M vgt
mkfs.ext4 -q /dev/vgt/web
mkdir -p /srv/lv
mount /dev/vgt/web /srv/lv
echo '/dev/vgt/web /srv/lv ext4 defaults 0 2' >> /etc/fstab
"""

#: Made on a sandbox VM's spare disks (``capture vm``).
VM: list[tuple[str, str, dict[str, Any], str]] = [
    ("lvm.report", "empty", {}, "true"),
    ("lvm.report", "advanced", {}, ADVANCED),
    ("lvm.report", "snapshot-invalid", {}, VG4 + """
lvcreate -q -y -n data -L 24M vgt
lvcreate -q -y -s -n data-sn -L 4M vgt/data
lvchange -q --monitor n vgt/data-sn
dd if=/dev/urandom of=/dev/vgt/data bs=1M count=8 oflag=direct status=none
"""),
    ("lvm.report", "pvmove-replaced", {}, VG4 + """
lvcreate -q -y -n data -L 8M vgt
vgextend -q vgt /dev/vde
pvmove -q /dev/vdb /dev/vde
vgreduce -q vgt /dev/vdb
"""),
    ("lvm.config", "defaults", {}, "true"),
    ("lvm.config", "autoextend", {},
     "cp /etc/lvm/lvm.conf /etc/lvm/lvm.conf.labkit-orig\n"
     "sed -i 's/^\\(\\s*\\)# snapshot_autoextend_threshold = 100/"
     "\\1snapshot_autoextend_threshold = 70/' /etc/lvm/lvm.conf"),
    ("blockdev.ext4", "ext4", {"device": "/dev/vgt/web"}, MOUNTED),
    ("blockdev.ext4", "no-fs", {"device": "/dev/vgt/raw"},
     VG4 + "lvcreate -q -y -n raw -L 8M vgt"),
    ("blockdev.ext4", "missing", {"device": "/dev/vgt/nothing"}, "true"),
    ("blockdev.mounts", "lv-mounted", {}, MOUNTED),
    ("blockdev.fstab", "lv-at-boot", {}, MOUNTED),
    ("blockdev.lsblk", "lab-disks", {}, "true"),
    ("blockdev.path", "lv-link", {"path": "/dev/vgt/web"}, MOUNTED),
    ("blockdev.path", "missing", {"path": "/dev/nothing-here"}, "true"),
]


DUMMY = "ip link add eth1 type dummy && ip link set eth1 up"
OVS_CLEANUP = "# cleanup: ovs-vsctl --if-exists del-br lkpovs; ip link del lkp1 2>/dev/null; " \
              "ip link del lkp2 2>/dev/null; ip link del lkp3 2>/dev/null; true"

#: Made in a network namespace of a sandbox VM (``capture net``).
NET: list[tuple[str, str, dict[str, Any], str]] = [
    ("ip.link", "devices", {}, f"""{DUMMY}
ip tuntap add tap0 mode tap
ip tuntap add tun0 mode tun
ip link add dev veth0 type veth peer name veth0-sw
ip link add link eth1 name macvtap0 type macvtap mode bridge
ip link add link eth1 name macvtap1 type macvtap mode private
ip link add link eth1 name macvtap2 type macvtap
ip link add link eth1 name eth1.10 type vlan id 10
ip link add br0 type bridge
ip link set veth0-sw master br0
ip link set veth0 up
ip link set veth0-sw up
ip link set br0 up
ip link add br1 type bridge vlan_filtering 1
ip link set eth1.10 master br1"""),
    ("ip.link", "empty-namespace", {}, "true"),
    ("ip.link", "netns-missing", {"netns": "nosuchns"}, "true"),
    ("ip.addr", "bridge-address", {}, f"""{DUMMY}
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.10.0.1/24 dev br0
ip addr add 192.168.100.11/24 dev eth1"""),
    ("ip.route", "gateway", {}, f"""{DUMMY}
ip link add link eth1 name eth1.10 type vlan id 10
ip link set eth1.10 up
ip addr add 10.0.10.11/24 dev eth1.10
ip route add 198.51.100.0/24 via 10.0.10.1
ip route add 203.0.113.7 dev eth1.10
ip route add default via 10.0.10.1"""),
    ("bridge.link", "ports", {}, f"""{DUMMY}
ip link add br0 type bridge
ip link add dev vm1 type veth peer name vm1-sw
ip link set vm1-sw master br0
ip link set eth1 master br0
ip link set br0 up; ip link set vm1-sw up; ip link set vm1 up"""),
    ("bridge.vlan", "vlan-aware", {}, f"""{DUMMY}
ip link add br0 type bridge vlan_filtering 1
ip link add dev vm1 type veth peer name vm1-sw
ip link add dev vm2 type veth peer name vm2-sw
ip link set vm1-sw master br0; ip link set vm2-sw master br0; ip link set eth1 master br0
bridge vlan add dev vm1-sw vid 10 pvid untagged
bridge vlan add dev vm2-sw vid 20 pvid untagged
bridge vlan del dev vm1-sw vid 1
bridge vlan add dev eth1 vid 10
bridge vlan add dev eth1 vid 20
bridge vlan add dev eth1 vid 30-32"""),
    ("bridge.vlan", "no-bridge", {}, "true"),
    ("net.ping", "reachable", {"address": "10.0.0.2"}, """ip link set lo up
ip link add dev vm1 type veth peer name vm1-sw
ip addr add 10.0.0.2/24 dev vm1
ip link set vm1 up; ip link set vm1-sw up"""),
    ("net.ping", "no-answer", {"address": "10.9.9.9", "interface": "d0"}, """
ip link add d0 type dummy; ip link set d0 up; ip addr add 10.9.9.1/24 dev d0"""),
    ("net.ping", "no-route", {"address": "203.0.113.1"}, "ip link set lo up"),
    ("net.ping", "netns-missing", {"address": "10.0.0.1", "netns": "nosuchns"}, "true"),
    ("ovs.state", "tagged-ports", {}, f"""# netns: root
{OVS_CLEANUP}
ovs-vsctl --may-exist add-br lkpovs
ip link add lkp1 type veth peer name lkp1-sw
ip link add lkp2 type veth peer name lkp2-sw
ip link add lkp3 type veth peer name lkp3-sw
ovs-vsctl add-port lkpovs lkp1-sw tag=10
ovs-vsctl add-port lkpovs lkp2-sw trunks=10,20
ovs-vsctl add-port lkpovs lkp3-sw tag=20 vlan_mode=access
ovs-vsctl add-port lkpovs lkpint -- set Interface lkpint type=internal"""),
    ("ovs.state", "no-bridges", {}, "# netns: root\n# cleanup: true\n"
     "test -z \"$(ovs-vsctl list-br)\" || { echo 'OVS bridges exist' >&2; exit 1; }"),
    ("nft.ruleset", "masquerade", {}, """nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority 100; }'
nft add rule ip nat postrouting ip saddr 10.0.10.0/24 oifname "eth1" masquerade"""),
    ("nft.ruleset", "snat-iptables-nft", {}, """
iptables -t nat -A POSTROUTING -s 10.0.20.0/24 -o eth1 -j SNAT --to-source 198.51.100.1"""),
    ("nft.ruleset", "empty", {}, "true"),
    ("iptables.save", "masquerade", {}, """
iptables -t nat -A POSTROUTING -s 10.0.10.0/24 -o eth1 -j MASQUERADE"""),
    ("iptables.save", "snat", {}, """
iptables -t nat -A POSTROUTING -s 10.0.20.0/24 -o eth1 -j SNAT --to-source 198.51.100.1"""),
    ("iptables.save", "empty", {}, "true"),
    ("sysctl.value", "forward-on-persistent", {"setting": "net.ipv4.ip_forward"}, """# netns: root
# cleanup: rm -f /etc/sysctl.d/60-lkp-forward.conf; sysctl -q -w net.ipv4.ip_forward=0
printf '# labkit probe case\\nnet.ipv4.ip_forward = 1\\n' > /etc/sysctl.d/60-lkp-forward.conf
sysctl -q -w net.ipv4.ip_forward=1"""),
    ("sysctl.value", "forward-off", {"setting": "net.ipv4.ip_forward"}, "true"),
    ("sysctl.value", "slash-key", {"setting": "net/ipv4/conf/all/forwarding"}, "true"),
    ("sysctl.value", "unknown-key", {"setting": "net.ipv4.no_such_key"}, "true"),
    ("net.persist", "networkd-and-ifupdown", {}, """# netns: root
# cleanup: rm -f /etc/systemd/network/90-lkp-* /etc/network/interfaces.d/lkp \
/etc/systemd/network/20-lab.network.d/lkp-vlan.conf; \
rmdir /etc/systemd/network/20-lab.network.d /etc/network/interfaces.d 2>/dev/null; true
N=/etc/systemd/network
mkdir -p $N/20-lab.network.d /etc/network/interfaces.d
printf '[Network]\\nVLAN=eth1.10\\n' > $N/20-lab.network.d/lkp-vlan.conf
printf '[NetDev]\\nName=eth1.10\\nKind=vlan\\n\\n[VLAN]\\nId=10\\n' > $N/90-lkp-eth1.10.netdev
printf '[Match]\\nName=eth1.10\\n\\n[Network]\\nAddress=10.0.10.11/24\\n' \\
  > $N/90-lkp-eth1.10.network
printf '[NetDev]\\nName=br0\\nKind=bridge\\n' > $N/90-lkp-br0.netdev
printf '[Match]\\nName=vm1-sw\\n\\n[Network]\\nBridge=br0\\n' > $N/90-lkp-vm1.network
cat > /etc/network/interfaces.d/lkp <<END
auto br20
iface br20 inet static
    address 10.0.20.1
    netmask 255.255.255.0
    bridge_ports eth1.20

auto eth1.20
iface eth1.20 inet manual
    vlan-raw-device eth1
END"""),
]


#: NFS and iSCSI cases need both VMs and a whole exercise set up: (probe, case, args, role,
#: commands run after the exercise's solution, on that role's host). ``capture solved`` runs each
#: exercise's solution once, then captures its cases in order (later ones may break things).
SOLVED: dict[str, list[tuple[str, str, dict[str, Any], str, str]]] = {
    "nfs-exports": [
        ("nfs.exports_file", "solved", {}, "server", ""),
        ("nfs.exportfs", "solved", {}, "server", ""),
        ("nfs.write_test", "squashed", {"directory": "/mnt/share"}, "client", ""),
        ("nfs.write_test", "read-only", {"directory": "/mnt/ro"}, "client", ""),
        ("nfs.write_test", "not-a-directory", {"directory": "/mnt/nothing"}, "client", ""),
        ("nfs.write_test", "stale", {"directory": "/mnt/share"}, "client",
         "# on the server: the shared folder was replaced by a new one"),
        ("nfs.exportfs", "stopped", {}, "server", "systemctl stop nfs-server"),
    ],
    "iscsi-target": [
        ("iscsi.live", "solved", {}, "server", ""),
        ("iscsi.saveconfig", "solved", {}, "server", ""),
        ("iscsi.units", "solved", {}, "server", ""),
        ("iscsi.sessions", "solved", {}, "client", ""),
        ("iscsi.nodes", "solved", {}, "client", ""),
        ("iscsi.live", "no-chap", {}, "server",
         "targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/"
         "iqn.2024-01.lab.labkit:client set auth userid=\n"
         "targetcli /iscsi/iqn.2026-11.lab.labkit.server:vms/tpg1/acls/"
         "iqn.2024-01.lab.labkit:client set auth password="),
        ("iscsi.saveconfig", "missing", {}, "server",
         "mv /etc/rtslib-fb-target/saveconfig.json /root/saveconfig.json.labkit"),
        ("iscsi.units", "disabled", {}, "server", "systemctl disable -q rtslib-fb-targetctl"),
    ],
}
#: Commands a SOLVED case needs on the other host first (the NFS stale handle).
BEFORE = {("nfs.write_test", "stale"): (
    "server", "rm -rf /srv/share.old; exportfs -ua; umount /srv/nfs/share; "
              "mv /srv/share /srv/share.old; mkdir -m 1777 /srv/share; "
              "mount --bind /srv/share /srv/nfs/share; exportfs -ra; exportfs -f")}



# -- repair drills: file contents, LVM health, kernel iSCSI sessions -------------------------
RAID8 = VG4 + """
lvcreate -q -y --type raid1 -m 1 -n data -L 8M vgt /dev/vdb /dev/vdc
for i in $(seq 60); do
  [ "$(lvs --noheadings -o sync_percent vgt/data | tr -d ' ')" = 100.00 ] && break; sleep 1
done
"""
LOCAL += [
    ("file.head", "text", {"path": f"{DIR}/LEEME.txt"},
     "printf 'Datos que non se poden perder: k7pq2m\\n' > LEEME.txt"),
    ("file.head", "missing", {"path": f"{DIR}/nothing.txt"}, "true"),
    ("file.head", "directory", {"path": f"{DIR}/sub"}, "mkdir sub"),
    ("iscsi.kernel_sessions", "none", {}, "true"),
]
VM += [
    ("lvm.health", "empty", {}, "true"),
    ("lvm.health", "raid-ok", {}, RAID8),
    ("lvm.health", "thin-full", {}, VG4 + """
lvcreate -q -y -T -L 8M --errorwhenfull y vgt/pool
lvcreate -q -y -T -V 32M -n vol vgt/pool
lvchange -q --monitor n vgt/pool
dd if=/dev/urandom of=/dev/vgt/vol bs=1M count=12 oflag=direct status=none 2>/dev/null || true
"""),
    ("lvm.health", "thin-monitored", {}, VG4 + """
lvcreate -q -y -T -L 16M vgt/pool
lvcreate -q -y -T -V 32M -n vol vgt/pool
lvchange -q --monitor y vgt/pool
dd if=/dev/urandom of=/dev/vgt/vol bs=1M count=4 oflag=direct status=none
"""),
    # last: the PV label of one leg is wiped, so LVM no longer finds that PV
    ("lvm.health", "raid-pv-missing", {}, RAID8 + """
dd if=/dev/zero of=/dev/vdc bs=512 seek=1 count=1 oflag=direct status=none
"""),
]
SOLVED["iscsi-target"] += [("iscsi.kernel_sessions", "solved", {}, "client", "")]
