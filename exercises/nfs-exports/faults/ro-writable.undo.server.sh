set -eu
sed -i "s#^\(/srv/nfs/$RO .*\)(rw,#\1(ro,#" /etc/exports
exportfs -ra
