# The clone was made a full copy (rebased on nothing): it no longer shares the template.
# labkit-fails: clone
set -eu
cd "/mnt/$SHARE"
qemu-img rebase -q -f qcow2 -b "" "$CLONE.qcow2"
