"""What is baked into the lab image: Debian packages, configuration files, the setup script.

Everything here is part of the image *recipe*: changing it changes the recipe hash
(:func:`labkit.sandbox.image.recipe_hash`), so the next ``labkit image build`` rebuilds.

Guest layout (the same on every lab VM):

* ``eth0``: management NIC on QEMU user networking, static 10.0.2.15/24 (QEMU's fixed
  address; static rather than DHCP so a VM restored from a snapshot never holds a stale
  lease). Only SSH reaches it, forwarded from 127.0.0.1 on the host.
* ``eth1``: lab NIC, on the lab's private switch (192.168.100.x/24, given per host).
* ``/dev/vda`` root (ext4); ``/dev/vdb``..``/dev/vde`` and ``/dev/vdj``, five empty 1 GiB
  disks for the exercises, ``/dev/vdf``..``/dev/vdi`` four more for the lessons' own
  practice (also ``/dev/disk/by-id/virtio-labkit-disk1``..``9``).
* root logs in over SSH with the lab's key only; ``/root/lab`` is the students' directory.
* ``/usr/local/sbin/labkit-setup`` personalises a VM (clock, hostname, key, lab address);
  the host runs it through the QEMU guest agent after every boot or snapshot restore.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from labkit.errors import SandboxError

SUITE = "bookworm"

# Debian packages installed on top of mmdebstrap's minbase variant (part of the recipe).
PACKAGES: tuple[str, ...] = (
    "bridge-utils",
    "dbus",
    "e2fsprogs",
    "ethtool",
    "fdisk",
    "initramfs-tools",
    "iproute2",
    "iptables",
    "iputils-ping",
    "kmod",
    "less",
    "linux-image-cloud-amd64",
    "lvm2",
    "nano",
    "nfs-common",
    "nfs-kernel-server",
    "nftables",
    "open-iscsi",
    "openssh-server",
    "openvswitch-switch",
    "parted",
    "procps",
    "psmisc",
    "python3",
    "qemu-guest-agent",
    "qemu-utils",
    "systemd",
    "systemd-sysv",
    "targetcli-fb",
    "tcpdump",
    "thin-provisioning-tools",
    "udev",
    "vlan",
    "xfsprogs",
    "zstd",
)

# Units that only slow down the boot of a throw-away lab VM.
MASKED_UNITS: tuple[str, ...] = (
    "apt-daily.timer",
    "apt-daily-upgrade.timer",
    "dpkg-db-backup.timer",
    "e2scrub_all.timer",
    "e2scrub_reap.service",
    "fstrim.timer",
    "getty@tty1.service",
    "man-db.timer",
    "systemd-networkd-wait-online.service",
    "systemd-timesyncd.service",
)

SETUP_SCRIPT = r"""#!/bin/sh
# labkit-setup HOSTNAME EPOCH LAB_CIDR LAB_MAC AUTHORIZED_KEY [NAME=IP ...]
# Run by the labkit host (through the QEMU guest agent) after each boot or snapshot restore.
set -eu
name=$1; epoch=$2; cidr=$3; mac=$4; key=$5; shift 5
date -u -s "@$epoch" >/dev/null
printf '%s\n' "$name" > /etc/hostname
hostname "$name"
{
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$name"
  printf '::1\tlocalhost ip6-localhost ip6-loopback\n'
  for pair in "$@"; do printf '%s\t%s\n' "${pair#*=}" "${pair%%=*}"; done
} > /etc/hosts
install -d -m 700 /root/.ssh
printf '%s\n' "$key" > /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
printf 'InitiatorName=iqn.2024-01.lab.labkit:%s\n' "$name" > /etc/iscsi/initiatorname.iscsi
if pidof iscsid >/dev/null; then systemctl restart iscsid.service; fi
printf '[Match]\nName=eth1\n\n[Link]\nMACAddress=%s\n\n[Network]\nAddress=%s\n%s\n' \
  "$mac" "$cidr" 'LinkLocalAddressing=no' > /etc/systemd/network/20-lab.network
ip link set dev eth1 down
ip link set dev eth1 address "$mac"
ip -4 addr flush dev eth1
ip addr add "$cidr" dev eth1
ip link set dev eth1 up
echo labkit-setup-ok
"""

@dataclass(frozen=True)
class VMIdentity:
    """What makes one lab VM a machine of its own: every VM restored from one warm state
    shares the image's machine id and SSH host key until it is given this (labkit's evidence
    would take them for copied work). Made on the host (:func:`labkit.sandbox.sshcmd.
    make_identity`), so it is the same after every reset and known_hosts never changes."""

    machine_id: str          # /etc/machine-id: 32 lowercase hex digits
    public_key: str          # ``ssh-ed25519 AAAA…``
    private_key: str         # the OpenSSH private host key (its text)


#: Run in each guest right after ``labkit-setup`` (every start from a warm state, and every
#: reset), as ``NEW_IDENTITY MACHINE_ID PUBLIC_KEY`` with the private host key on stdin. sshd
#: reads its host keys for every connection: no restart. Not part of the image recipe.
NEW_IDENTITY = (
    "set -e; printf '%s\\n' \"$1\" > /etc/machine-id; "
    "rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*; "
    "(umask 077; cat > /etc/ssh/ssh_host_ed25519_key); "
    "printf '%s\\n' \"$2\" > /etc/ssh/ssh_host_ed25519_key.pub; echo labkit-identity-ok")
#: ``labkit-setup`` then :data:`NEW_IDENTITY`, in one guest-agent command (a reset is seconds).
PERSONALISE = ('mid=$1; pub=$2; shift 2; /usr/local/sbin/labkit-setup "$@" </dev/null '
               '|| exit $?; set -- "$mid" "$pub"; ' + NEW_IDENTITY)
_MACHINE_ID = re.compile(r"^[0-9a-f]{32}$")
_PUBLIC_KEY = re.compile(r"^ssh-ed25519 [A-Za-z0-9+/=]+$")


def personalise_argv(setup: Sequence[str], identity: VMIdentity) -> list[str]:
    """The guest command that personalises a VM (its stdin: ``identity.private_key``):
    ``setup`` are labkit-setup's arguments (HOSTNAME EPOCH LAB_CIDR LAB_MAC AUTHORIZED_KEY
    [NAME=IP ...])."""
    if not _MACHINE_ID.match(identity.machine_id):
        raise SandboxError(f"not a machine id: {identity.machine_id!r} (32 lowercase hex "
                           "digits)")
    if not _PUBLIC_KEY.match(identity.public_key):
        raise SandboxError(f"not an ed25519 public key: {identity.public_key[:40]!r}")
    return ["/bin/sh", "-c", PERSONALISE, "labkit-personalise", identity.machine_id,
            identity.public_key, *setup]


def check_personalised(host: str, exitcode: int, stdout: str, stderr: str) -> None:
    """SandboxError unless :func:`personalise_argv`'s command did every step on ``host``."""
    if exitcode != 0 or "labkit-setup-ok" not in stdout or "labkit-identity-ok" not in stdout:
        raise SandboxError(f"setting up {host} failed (exit {exitcode}): "
                           f"{(stderr or stdout).strip()[-300:]}")


FILES: dict[str, tuple[int, str]] = {
    "/etc/hostname": (0o644, "labkit\n"),
    "/etc/hosts": (0o644, "127.0.0.1\tlocalhost\n127.0.1.1\tlabkit\n"),
    "/etc/fstab": (0o644, "/dev/vda / ext4 rw,errors=remount-ro 0 1\n"),
    "/etc/default/locale": (0o644, "LANG=C.UTF-8\n"),
    "/etc/target/README": (0o644, "targetcli saves its configuration here.\n"),
    "/etc/ssh/sshd_config.d/labkit.conf": (
        0o644,
        "PermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\n"
        "UseDNS no\n"
        "GSSAPIAuthentication no\n",
    ),
    "/etc/systemd/network/10-mgmt.network": (
        0o644,
        "[Match]\nName=eth0\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\n",
    ),
    "/etc/systemd/journald.conf.d/labkit.conf": (
        0o644,
        "[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n",
    ),
    "/etc/initramfs-tools/modules": (0o644, "virtio_pci\nvirtio_blk\n"),
    "/etc/initramfs-tools/conf.d/labkit.conf": (0o644, "MODULES=list\nCOMPRESS=zstd\n"),
    "/etc/modules-load.d/labkit.conf": (0o644, "dm_snapshot\ndm_thin_pool\n8021q\n"),
    "/usr/local/sbin/labkit-setup": (0o755, SETUP_SCRIPT),
    "/root/lab/README": (
        0o644,
        "Your working directory for the labkit exercises.\n"
        "Spare disks for the exercises: /dev/vdb /dev/vdc /dev/vdd /dev/vde /dev/vdj\n"
        "(the lessons practise on /dev/vdf../dev/vdi). Lab network: eth1.\n",
    ),
}


def customize_script() -> str:
    """The shell script run inside the new root (by mmdebstrap's customize hook)."""
    lines = ["#!/bin/sh", "set -eu"]
    for path, (mode, content) in sorted(FILES.items()):
        encoded = base64.b64encode(content.encode()).decode()
        parent = path.rsplit("/", 1)[0]
        lines.append(f"mkdir -p '{parent}'")
        lines.append(f"echo '{encoded}' | base64 -d > '{path}'")
        lines.append(f"chmod {mode:o} '{path}'")
    lines += [
        "systemctl enable systemd-networkd.service",
        "systemctl mask " + " ".join(MASKED_UNITS),
        "passwd -l root >/dev/null",
        "rm -f /etc/ssh/ssh_host_dsa_key* /etc/ssh/ssh_host_ecdsa_key*",
        ": > /etc/machine-id",
        "rm -f /var/lib/dbus/machine-id",
        "update-initramfs -u -k all",
        "apt-get clean",
        "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin",
    ]
    return "\n".join(lines) + "\n"


# The kernel command line of every lab VM.
KERNEL_CMDLINE = (
    "root=/dev/vda rw console=ttyS0,115200 net.ifnames=0 quiet loglevel=3 "
    "systemd.show_status=auto mitigations=off tsc=reliable"
)
