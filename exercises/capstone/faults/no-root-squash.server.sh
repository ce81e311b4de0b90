# The export gives the client's root full power on the server (no_root_squash), applied.
# labkit-fails: export exported-now squashed
set -eu
cp /etc/exports /root/labkit-fault-exports
sed -i "s#^\\(/srv/$SHARE[[:space:]].*\\)root_squash#\\1no_root_squash#" /etc/exports
exportfs -ra
