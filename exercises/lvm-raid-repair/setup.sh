# Drill lvm-raid-repair, the starting state: a RAID 1 volume with its copies on $DISK1 and
# $DISK2, mounted on /srv/$LV with a file in it; then $DISK2 vanishes (it is unplugged from
# the VM's PCI bus, as if a disk died) and the RAID goes on with one copy.
set -eu
for d in "$DISK1" "$DISK2" "$DISK3"; do
  [ -b "$d" ] || { echo "labkit: $d is not a disk: run this on a fresh lab VM" >&2; exit 3; }
done
umount "/srv/$LV" 2>/dev/null || true
sed -i "\\#^/dev/$VG/#d" /etc/fstab
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK1" "$DISK2" "$DISK3" >/dev/null 2>&1 || true
wipefs -qa "$DISK1" "$DISK2" "$DISK3"
vgcreate -q "$VG" "$DISK1" "$DISK2" "$DISK3"
lvcreate -q -y --type raid1 -m 1 -L 64M -n "$LV" "$VG" "$DISK1" "$DISK2"
for i in $(seq 1 60); do
  [ "$(lvs --noheadings -o sync_percent "$VG/$LV" | tr -d ' ')" = 100.00 ] && break
  sleep 1
done
mkfs.ext4 -q "/dev/$VG/$LV"
mkdir -p "/srv/$LV"
echo "/dev/$VG/$LV /srv/$LV ext4 defaults 0 2" >> /etc/fstab
mount "/srv/$LV"
printf 'Datos que non se poden perder: %s\n' "$MARKER" > "/srv/$LV/LEEME.txt"
sync
# the disk dies: unplug its PCI device
pci=$(dirname "$(readlink -f "/sys/block/${DISK2#/dev/}/device")")
echo 1 > "$pci/remove"
for i in $(seq 1 20); do [ -b "$DISK2" ] || break; sleep 0.5; done
# the next write finds the missing copy
date >> "/srv/$LV/diario.log"
sync
sleep 1
lvs --noheadings -o lv_health_status "$VG/$LV" 2>/dev/null | grep -q partial
