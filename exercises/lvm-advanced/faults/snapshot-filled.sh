# More than the snapshot's room changed in the origin while nobody watched the snapshot: it filled up and
# LVM invalidated it (automatic extension is off for it: not monitored).
# labkit-fails: snapshot
set -eu
lvchange -q --monitor n "$VG/$SNAP"
dd if=/dev/urandom of="/dev/$VG/$DB" bs=1M count="$((SNAP_SIZE * 2))" oflag=direct status=none
