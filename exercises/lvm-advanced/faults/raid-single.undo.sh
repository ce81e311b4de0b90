set -eu
lvremove -q -y "$VG/$SNAP"
lvconvert -q -y --type raid1 -m 1 "$VG/$DB"
lvcreate -q -y -s -n "$SNAP" -L "${SNAP_SIZE}M" "$VG/$DB"
