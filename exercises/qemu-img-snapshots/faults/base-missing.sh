# The base disk was deleted after the rebase (it looked unused): nothing to check on it.
# labkit-fails: base-exists
set -eu
rm -f "$WORKDIR/$BASE.qcow2"
