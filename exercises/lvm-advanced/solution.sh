# Solution of lvm-advanced: RAID 1, stripes, a snapshot, a thin pool with an over-provisioned
# thin volume, and automatic extension in lvm.conf (sizes scaled to megabytes).
set -eu
for d in "$DISK1" "$DISK2" "$DISK3" "$DISK4"; do
  [ -b "$d" ] || { echo "labkit: $d is not a disk: run this on a lab VM with four spare disks" >&2; exit 3; }
done
for lv in "/dev/$VG"/*; do [ -e "$lv" ] && umount "$lv" 2>/dev/null; done; true
sed -i "\\#^/dev/$VG/#d" /etc/fstab
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK1" "$DISK2" "$DISK3" "$DISK4" >/dev/null 2>&1 || true
wipefs -qa "$DISK1" "$DISK2" "$DISK3" "$DISK4"

vgcreate -q "$VG" "$DISK1" "$DISK2" "$DISK3" "$DISK4"
lvcreate -q -y --type raid1 -m 1 -n database -L 32M "$VG"   # RAID 1: two copies
lvcreate -q -y -i 3 -n templates -L 48M "$VG"               # RAID 0 over 3 disks
lvcreate -q -y -s -n database-sn -L 8M "$VG/database"       # room for 8M of changes
lvcreate -q -y -T -L 40M "$VG/pool"                         # a thin pool of 40M...
lvcreate -q -y -T -V 200M -n ftpserver "$VG/pool"           # ...holding a 200M thin volume
# grow snapshots and thin pools by 20% when they are 70% / 80% full
set_lvm() {  # uncomment "# KEY = default" in lvm.conf's activation section, with VALUE
  sed -i "/automatic default value/{n;s/^\([[:space:]]*\)#* *$1 = .*/\1$1 = $2/}" /etc/lvm/lvm.conf
}
set_lvm snapshot_autoextend_threshold 70
set_lvm snapshot_autoextend_percent 20
set_lvm thin_pool_autoextend_threshold 80
set_lvm thin_pool_autoextend_percent 20
