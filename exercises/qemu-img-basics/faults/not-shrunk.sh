# The shrink was refused (no --shrink) and the student went on.
# labkit-fails: small-shrunk
set -eu
cd "$WORKDIR"
rm -f "$SMALL.qcow2"
qemu-img create -q -f qcow2 "$SMALL.qcow2" "${SIZE}M"
