# The thin volume is no bigger than its pool: nothing is over-provisioned.
# labkit-fails: ftpserver-thin
set -eu
lvremove -q -y "$VG/ftpserver"
lvcreate -q -y -T -V 32M -n ftpserver "$VG/pool"
