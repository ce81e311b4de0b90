# The resize was forgotten: the disk still has its first size.
# labkit-fails: disk-grown
set -eu
cd "$WORKDIR"
qemu-img resize -q --shrink "$DISK.qcow2" "${SIZE}M"
