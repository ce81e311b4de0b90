set -eu
sed -i 's#^\(/srv/nfs/ro .*\)(rw,#\1(ro,#' /etc/exports
exportfs -ra
