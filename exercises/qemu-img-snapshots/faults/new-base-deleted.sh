# The new base was deleted after the rebase: the snapshot's chain is broken.
# labkit-fails: new-base-exists snap-emptied
set -eu
rm -f "$WORKDIR/$NEWBASE.qcow2"
