# The independent disk was made with "create -b" instead of "convert": one more overlay, not
# a disk.
# labkit-fails: disk-independent disk-has-data
set -eu
cd "$WORKDIR"
rm -f "$DISK.qcow2"
qemu-img create -q -f qcow2 -b "$BASE.qcow2" -F qcow2 "$DISK.qcow2"
