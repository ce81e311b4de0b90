# The independent disk was never made.
# labkit-fails: disk-exists
set -eu
rm -f "$WORKDIR/$DISK.qcow2"
