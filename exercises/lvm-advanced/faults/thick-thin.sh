# The thin volume is no bigger than its pool: nothing is over-provisioned.
# labkit-fails: ftpserver-thin
set -eu
lvremove -q -y "$VG/$THIN"
lvcreate -q -y -T -V "${POOL_SIZE}M" -n "$THIN" "$VG/$POOL"
