set -eu
lvremove -q -y "$VG/database-sn"
lvcreate -q -y -s -n database-sn -L 8M "$VG/database"
