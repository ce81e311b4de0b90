# "qemu-img resize DISK.qcow2 GROWM" (no +): the disk ends at GROW MiB, not SIZE+GROW.
# labkit-fails: disk-grown
set -eu
cd "$WORKDIR"
qemu-img resize -q --shrink "$DISK.qcow2" "${GROW}M"
