# The second disk was never created.
# labkit-fails: small-exists
set -eu
rm -f "$WORKDIR/$SMALL.qcow2"
