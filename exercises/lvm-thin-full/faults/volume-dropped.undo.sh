set -eu
lvcreate -q -y -T -V 128M -n "$VOLUME" "$VG/$POOL" 2>/dev/null
