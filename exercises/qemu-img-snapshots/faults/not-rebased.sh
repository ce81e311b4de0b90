# The rebase was not done: the snapshot still points at the old base.
# labkit-fails: snap-rebased
set -eu
cd "$WORKDIR"
qemu-img rebase -u -f qcow2 -b "$BASE.qcow2" -F qcow2 "$SNAP.qcow2"
