# disk.qcow2 was made with "create -b" instead of "convert": one more overlay, not a disk.
# labkit-fails: disk-independent disk-has-data
set -eu
cd "$WORKDIR"
rm -f disk.qcow2
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 disk.qcow2
