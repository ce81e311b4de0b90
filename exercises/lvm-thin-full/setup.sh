# Drill lvm-thin-full, the starting state: a 32 MiB thin pool holding a 128 MiB thin volume,
# automatic extension off (threshold 100, as installed), dmeventd not watching the pool, and
# a program that wrote until the pool was full: now every new write fails.
set -eu
[ -b "$DISK" ] || { echo "labkit: $DISK is not a disk: run this on a lab VM" >&2; exit 3; }
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK" >/dev/null 2>&1 || true
wipefs -qa "$DISK"
set_lvm() {  # KEY VALUE in lvm.conf's activation section
  sed -i "/automatic default value/{n;s/^\([[:space:]]*\)#* *$1 = .*/\1$1 = $2/}" /etc/lvm/lvm.conf
}
set_lvm thin_pool_autoextend_threshold 100
set_lvm thin_pool_autoextend_percent 20
vgcreate -q "$VG" "$DISK"
# --errorwhenfull y: a full pool fails writes at once instead of queueing them for 60 s
lvcreate -q -y -T -L 32M --errorwhenfull y "$VG/$POOL" 2>/dev/null
lvcreate -q -y -T -V 128M -n "$VOLUME" "$VG/$POOL" 2>/dev/null
lvchange -q --monitor n "$VG/$POOL"
dd if=/dev/urandom of="/dev/$VG/$VOLUME" bs=1M count=40 oflag=direct status=none 2>/dev/null || true
lvs --noheadings -o lv_health_status "$VG/$POOL" | grep -q out_of_data
