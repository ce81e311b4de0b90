set -eu
lvremove -q -y "$VG/$TPL"
lvcreate -q -y -i 3 -n "$TPL" -L "${TPL_SIZE}M" "$VG"
