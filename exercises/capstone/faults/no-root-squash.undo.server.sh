set -eu
mv /root/labkit-fault-exports /etc/exports
exportfs -ra
