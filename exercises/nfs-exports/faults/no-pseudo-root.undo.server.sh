set -eu
sed -i "s#^\(/srv/nfs[[:space:]][^(]*(ro,sync\)#\1,fsid=0#" /etc/exports
exportfs -ra
