set -eu
lvremove -q -y "$VG/templates"
lvcreate -q -y -i 3 -n templates -L 48M "$VG"
