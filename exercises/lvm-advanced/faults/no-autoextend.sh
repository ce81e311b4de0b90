# lvm.conf left as installed: snapshots and thin pools never grow by themselves.
# labkit-fails: autoextend
set -eu
cp /etc/lvm/lvm.conf /etc/lvm/lvm.conf.labkit-fault
sed -i -e 's/^\([[:space:]]*\)snapshot_autoextend_threshold = .*/\1snapshot_autoextend_threshold = 100/' \
       -e 's/^\([[:space:]]*\)thin_pool_autoextend_threshold = .*/\1thin_pool_autoextend_threshold = 100/' /etc/lvm/lvm.conf
