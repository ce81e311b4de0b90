# The replaced disk was never taken out of the VG (vgreduce forgotten).
# labkit-fails: vg-disks old-disk-out
set -eu
vgextend -q "$VG" "$DISK1"
