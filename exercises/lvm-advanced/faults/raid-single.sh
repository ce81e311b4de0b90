# database lost its mirror (lvconvert -m 0): one copy only, no RAID 1.
# labkit-fails: database-raid1
set -eu
lvremove -q -y "$VG/database-sn"
lvconvert -q -y -m 0 "$VG/database"
lvcreate -q -y -s -n database-sn -L 8M "$VG/database"
