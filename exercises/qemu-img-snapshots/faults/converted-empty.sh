# The independent disk was converted from the wrong image (a fresh, empty disk): the right
# format and size, but none of the data written to the snapshot.
# labkit-fails: disk-has-data
set -eu
cd "$WORKDIR"
rm -f "$DISK.qcow2"
qemu-img create -q -f qcow2 empty.qcow2 "${SIZE}M"
qemu-img convert -f qcow2 -O qcow2 empty.qcow2 "$DISK.qcow2"
rm -f empty.qcow2
