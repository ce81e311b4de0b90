# the striped volume was created without -i 3: one linear volume, no striping.
# labkit-fails: templates-striped
set -eu
lvremove -q -y "$VG/$TPL"
lvcreate -q -y -n "$TPL" -L "${TPL_SIZE}M" "$VG"
