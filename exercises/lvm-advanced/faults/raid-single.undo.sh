set -eu
lvremove -q -y "$VG/database-sn"
lvconvert -q -y --type raid1 -m 1 "$VG/database"
lvcreate -q -y -s -n database-sn -L 8M "$VG/database"
