# lvm.conf is right, but dmeventd does not watch the pool: it will fill up again.
# labkit-fails: monitored
set -eu
lvchange -q --monitor n "$VG/$POOL"
