# The disk was created with -f raw: the .qcow2 extension does not make it qcow2.
# labkit-fails: disk-qcow2
set -eu
cd "$WORKDIR"
rm -f "$DISK.qcow2"
qemu-img create -q -f raw "$DISK.qcow2" "${GROWN}M"
