# Another PV of the group vanished (a disk that held no volume yet): the group is incomplete
# although the RAID is healthy.
# labkit-fails: vg-complete
set -eu
truncate -s 64M /root/labkit-fault-pv.img
dev=$(losetup -f --show /root/labkit-fault-pv.img)
pvcreate -q "$dev"
vgextend -q "$VG" "$dev"
losetup -d "$dev"
for i in $(seq 1 20); do losetup "$dev" >/dev/null 2>&1 || break; sleep 0.5; done
