set -eu
lvremove -q -y "$VG/$THIN"
lvcreate -q -y -T -V "${THIN_SIZE}M" -n "$THIN" "$VG/$POOL"
