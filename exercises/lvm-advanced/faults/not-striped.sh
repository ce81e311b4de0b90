# templates was created without -i 3: one linear volume, no striping.
# labkit-fails: templates-striped
set -eu
lvremove -q -y "$VG/templates"
lvcreate -q -y -n templates -L 48M "$VG"
