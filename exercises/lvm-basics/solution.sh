# Solution of lvm-basics: the course's LVM operations on the lab VM's four spare disks
# (sizes scaled from gigabytes to megabytes). It starts by undoing an earlier run.
set -eu
for d in "$DISK1" "$DISK2" "$DISK3" "$DISK4"; do
  [ -b "$d" ] || { echo "labkit: $d is not a disk: run this on a lab VM with four spare disks" >&2; exit 3; }
done
umount "$MOUNTPOINT" 2>/dev/null || true
sed -i "\\#[[:space:]]$MOUNTPOINT[[:space:]]#d" /etc/fstab
for lv in "/dev/$VG"/*; do [ -e "$lv" ] && umount "$lv" 2>/dev/null || true; done
sed -i "\\#^/dev/$VG/#d" /etc/fstab
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK1" "$DISK2" "$DISK3" "$DISK4" >/dev/null 2>&1 || true
wipefs -qa "$DISK1" "$DISK2" "$DISK3" "$DISK4"

pvcreate -q "$DISK1" "$DISK2" "$DISK3" "$DISK4"
vgcreate -q "$VG" "$DISK1" "$DISK2"            # the student's VG with two disks
vgextend -q "$VG" "$DISK3"                     # one more disk
lvcreate -q -y -n "$LV" -L "${FIRST}M" "$VG"        # an LV of $FIRST MiB (on the first disk)
mkfs.ext4 -q "/dev/$VG/$LV"
vgextend -q "$VG" "$DISK4"                     # replace the first disk by the fourth:
pvmove -q "$DISK1" "$DISK4"                    #   move its extents away,
vgreduce -q "$VG" "$DISK1"                     #   then take it out of the VG
lvresize -q -r -L "+${GROW}M" "$VG/$LV"          # grow LV and filesystem together
lvresize -q -f -r -L "-${SHRINK}M" "$VG/$LV"       # shrink both (filesystem first)
mkdir -p "$MOUNTPOINT"
mount "/dev/$VG/$LV" "$MOUNTPOINT"
echo "/dev/$VG/$LV $MOUNTPOINT ext4 defaults 0 2" >> /etc/fstab
