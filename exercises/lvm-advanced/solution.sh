# Solution of lvm-advanced: RAID 1, stripes, a snapshot, a thin pool with an over-provisioned
# thin volume, and automatic extension in lvm.conf (sizes scaled to megabytes), with the
# student's names, sizes and settings.
set -eu
for d in "$DISK1" "$DISK2" "$DISK3"; do
  [ -b "$d" ] || { echo "labkit: $d is not a disk: run this on a lab VM with spare disks" >&2; exit 3; }
done
for lv in "/dev/$VG"/*; do [ -e "$lv" ] && umount "$lv" 2>/dev/null || true; done
sed -i "\\#^/dev/$VG/#d" /etc/fstab
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK1" "$DISK2" "$DISK3" >/dev/null 2>&1 || true
wipefs -qa "$DISK1" "$DISK2" "$DISK3"

vgcreate -q "$VG" "$DISK1" "$DISK2" "$DISK3"
lvcreate -q -y --type raid1 -m 1 -n "$DB" -L "${DB_SIZE}M" "$VG"   # RAID 1: two copies
lvcreate -q -y -i 3 -n "$TPL" -L "${TPL_SIZE}M" "$VG"              # RAID 0 over 3 disks
lvcreate -q -y -s -n "$SNAP" -L "${SNAP_SIZE}M" "$VG/$DB"          # room for the changes
lvcreate -q -y -T -L "${POOL_SIZE}M" "$VG/$POOL"                   # a thin pool...
lvcreate -q -y -T -V "${THIN_SIZE}M" -n "$THIN" "$VG/$POOL"        # ...holding a bigger thin volume
# grow snapshots and thin pools when they are this full
set_lvm() {  # uncomment "# KEY = default" in lvm.conf's activation section, with VALUE
  sed -i "/automatic default value/{n;s/^\([[:space:]]*\)#* *$1 = .*/\1$1 = $2/}" /etc/lvm/lvm.conf
}
set_lvm snapshot_autoextend_threshold "$SNAP_THRESHOLD"
set_lvm snapshot_autoextend_percent "$SNAP_PERCENT"
set_lvm thin_pool_autoextend_threshold "$POOL_THRESHOLD"
set_lvm thin_pool_autoextend_percent "$POOL_PERCENT"
