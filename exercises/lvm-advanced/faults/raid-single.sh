# the RAID 1 volume lost its mirror (lvconvert -m 0): one copy only, no RAID 1.
# labkit-fails: database-raid1
set -eu
lvremove -q -y "$VG/$SNAP"
lvconvert -q -y -m 0 "$VG/$DB"
lvcreate -q -y -s -n "$SNAP" -L "${SNAP_SIZE}M" "$VG/$DB"
