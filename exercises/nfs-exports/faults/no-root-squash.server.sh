# The share is exported with no_root_squash: root on the client is root on the server.
# labkit-fails: share-file root-squashed
set -eu
sed -i "s#^\(/srv/nfs/$SHARE .*\)root_squash#\1no_root_squash#" /etc/exports
exportfs -ra
