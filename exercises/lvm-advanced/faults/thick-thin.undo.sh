set -eu
lvremove -q -y "$VG/ftpserver"
lvcreate -q -y -T -V 200M -n ftpserver "$VG/pool"
