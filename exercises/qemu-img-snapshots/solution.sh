# Solution of qemu-img-snapshots, with the student's names and sizes. qemu-io stands in for a
# VM writing $DATA MiB to its disk.
set -eu
mkdir -p "$WORKDIR"
cd "$WORKDIR"
rm -f "$BASE.qcow2" "$SNAP.qcow2" "$DISK.qcow2" "$NEWBASE.qcow2"
qemu-img create -q -f qcow2 "$BASE.qcow2" "${SIZE}M"
qemu-img create -q -f qcow2 -b "$BASE.qcow2" -F qcow2 "$SNAP.qcow2"
qemu-io -f qcow2 -c "write -q -P 0x5a 0 ${DATA}M" "$SNAP.qcow2"
qemu-img convert -f qcow2 -O qcow2 "$SNAP.qcow2" "$DISK.qcow2"
qemu-img commit -q "$SNAP.qcow2"
qemu-img convert -f qcow2 -O qcow2 "$BASE.qcow2" "$NEWBASE.qcow2"
qemu-img rebase -f qcow2 -b "$NEWBASE.qcow2" -F qcow2 "$SNAP.qcow2"
