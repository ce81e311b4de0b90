# The program kept writing while the volume group had no free extents left (another volume
# took them): dmeventd had nothing to grow the pool with, and it filled up again.
# labkit-fails: pool-room
set -eu
lvcreate -q -y -l 100%FREE -n labkit-filler "$VG"
dd if=/dev/urandom of="/dev/$VG/$VOLUME" bs=1M count=100 oflag=direct status=none 2>/dev/null || true
lvs --noheadings -o lv_health_status "$VG/$POOL" | grep -q out_of_data
