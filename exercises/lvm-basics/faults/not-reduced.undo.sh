set -eu
vgreduce -q "$VG" "$DISK1"
