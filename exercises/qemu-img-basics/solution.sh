# Solution of qemu-img-basics: the course's steps, scaled to megabytes, with the student's
# names and sizes ($DISK, $RAW, $SMALL, $SIZE, $GROW, $SHRINK).
set -eu
mkdir -p "$WORKDIR"
cd "$WORKDIR"
rm -f "$DISK.qcow2" "$RAW.raw" "$SMALL.qcow2"
qemu-img create -q -f qcow2 "$DISK.qcow2" "${SIZE}M"
qemu-img convert -f qcow2 -O raw "$DISK.qcow2" "$RAW.raw"
qemu-img resize -q "$DISK.qcow2" "+${GROW}M"
qemu-img create -q -f qcow2 "$SMALL.qcow2" "${SIZE}M"
qemu-img resize -q --shrink "$SMALL.qcow2" "${SHRINK}M"
