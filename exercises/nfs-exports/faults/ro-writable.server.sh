# The read-only folder was exported rw: the client can write in it.
# labkit-fails: ro-file ro-refuses
set -eu
sed -i "s#^\(/srv/nfs/$RO .*\)(ro,#\1(rw,#" /etc/exports
exportfs -ra
