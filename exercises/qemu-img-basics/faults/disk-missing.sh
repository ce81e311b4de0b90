# The system disk was deleted (or made in another folder): nothing to check on it.
# labkit-fails: disk-exists
set -eu
rm -f "$WORKDIR/$DISK.qcow2"
