# The commit was never done: the base holds none of the snapshot's data.
# labkit-fails: base-committed
set -eu
cd "$WORKDIR"
rm -f base.qcow2
qemu-img create -q -f qcow2 base.qcow2 100M
