# The raw copy was never made (or was deleted).
# labkit-fails: raw-exists
set -eu
rm -f "$WORKDIR/$RAW.raw"
