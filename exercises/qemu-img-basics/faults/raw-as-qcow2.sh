# The copy was converted with -O qcow2: the name says raw, the content is qcow2.
# labkit-fails: raw-format
set -eu
cd "$WORKDIR"
rm -f systemrawdisk.raw
qemu-img create -q -f qcow2 tmp-src.qcow2 100M
qemu-img convert -f qcow2 -O qcow2 tmp-src.qcow2 systemrawdisk.raw
rm -f tmp-src.qcow2
