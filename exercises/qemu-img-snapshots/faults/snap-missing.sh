# The snapshot was deleted after the independent disk was made from it.
# labkit-fails: snap-exists
set -eu
rm -f "$WORKDIR/$SNAP.qcow2"
