# The copy was converted with -O qcow2: the name says raw, the content is qcow2.
# labkit-fails: raw-format
set -eu
cd "$WORKDIR"
rm -f "$RAW.raw"
qemu-img create -q -f qcow2 tmp-base.qcow2 "${SIZE}M"
qemu-img convert -f qcow2 -O qcow2 tmp-base.qcow2 "$RAW.raw"
rm -f tmp-base.qcow2
