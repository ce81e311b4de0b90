# Solution of qemu-img-basics: the course's steps, scaled to megabytes.
set -eu
mkdir -p "$WORKDIR"
cd "$WORKDIR"
rm -f systemdisk.qcow2 systemrawdisk.raw smalldisk.qcow2
qemu-img create -q -f qcow2 systemdisk.qcow2 100M
qemu-img convert -f qcow2 -O raw systemdisk.qcow2 systemrawdisk.raw
qemu-img resize -q systemdisk.qcow2 +20M
qemu-img create -q -f qcow2 smalldisk.qcow2 100M
qemu-img resize -q --shrink smalldisk.qcow2 80M
