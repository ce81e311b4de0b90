set -eu
lvremove -q -y "$VG/$THIN" "$VG/$POOL"
lvcreate -q -y -T -L "${POOL_SIZE}M" "$VG/$POOL"
lvcreate -q -y -T -V "${THIN_SIZE}M" -n "$THIN" "$VG/$POOL"
