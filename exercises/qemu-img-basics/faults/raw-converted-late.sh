# The raw copy was converted after the resize: it has the grown size, not the original one.
# labkit-fails: raw-size
set -eu
cd "$WORKDIR"
rm -f "$RAW.raw"
qemu-img convert -f qcow2 -O raw "$DISK.qcow2" "$RAW.raw"
