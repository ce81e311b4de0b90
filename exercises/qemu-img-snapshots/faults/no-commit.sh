# The commit was never done: the base holds none of the snapshot's data.
# labkit-fails: base-committed
set -eu
cd "$WORKDIR"
rm -f "$BASE.qcow2"
qemu-img create -q -f qcow2 "$BASE.qcow2" "${SIZE}M"
