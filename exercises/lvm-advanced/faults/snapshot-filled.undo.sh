set -eu
lvremove -q -y "$VG/$SNAP"
lvcreate -q -y -s -n "$SNAP" -L "${SNAP_SIZE}M" "$VG/$DB"
