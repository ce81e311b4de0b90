# More than 8M changed in the origin while nobody watched the snapshot: it filled up and
# LVM invalidated it (automatic extension is off for it: not monitored).
# labkit-fails: snapshot
set -eu
lvchange -q --monitor n "$VG/database-sn"
dd if=/dev/urandom of="/dev/$VG/database" bs=1M count=16 oflag=direct status=none
