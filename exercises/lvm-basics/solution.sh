# Solution of lvm-basics: the course's LVM operations on the lab VM's four spare disks
# (sizes scaled from gigabytes to megabytes). It starts by undoing an earlier run.
set -eu
for d in "$DISK1" "$DISK2" "$DISK3" "$DISK4"; do
  [ -b "$d" ] || { echo "labkit: $d is not a disk: run this on a lab VM with four spare disks" >&2; exit 3; }
done
umount "$MOUNTPOINT" 2>/dev/null || true
sed -i "\\#[[:space:]]$MOUNTPOINT[[:space:]]#d" /etc/fstab
for lv in "/dev/$VG"/*; do [ -e "$lv" ] && umount "$lv" 2>/dev/null; done; true
sed -i "\\#^/dev/$VG/#d" /etc/fstab
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK1" "$DISK2" "$DISK3" "$DISK4" >/dev/null 2>&1 || true
wipefs -qa "$DISK1" "$DISK2" "$DISK3" "$DISK4"

pvcreate -q "$DISK1" "$DISK2" "$DISK3" "$DISK4"
vgcreate -q "$VG" "$DISK1" "$DISK2"            # a VG "Datos" with two disks
vgextend -q "$VG" "$DISK3"                     # one more disk
lvcreate -q -y -n webserver -L 40M "$VG"        # an LV of 40M (on the first disk)
mkfs.ext4 -q "/dev/$VG/webserver"
vgextend -q "$VG" "$DISK4"                     # replace the first disk by the fourth:
pvmove -q "$DISK1" "$DISK4"                    #   move its extents away,
vgreduce -q "$VG" "$DISK1"                     #   then take it out of the VG
lvresize -q -r -L +40M "$VG/webserver"          # grow LV and filesystem together: 80M
lvresize -q -f -r -L -20M "$VG/webserver"       # shrink both (filesystem first): 60M
mkdir -p "$MOUNTPOINT"
mount "/dev/$VG/webserver" "$MOUNTPOINT"
echo "/dev/$VG/webserver $MOUNTPOINT ext4 defaults 0 2" >> /etc/fstab
