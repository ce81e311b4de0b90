# "qemu-img resize systemdisk.qcow2 20M" (no +): the disk ends at 20 MiB, not 120.
# labkit-fails: disk-grown
set -eu
cd "$WORKDIR"
qemu-img resize -q --shrink systemdisk.qcow2 20M
