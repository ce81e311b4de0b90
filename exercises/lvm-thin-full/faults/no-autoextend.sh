# lvm.conf left as installed: the pool never grows by itself.
# labkit-fails: autoextend
set -eu
cp /etc/lvm/lvm.conf /etc/lvm/lvm.conf.labkit-fault
sed -i 's/^\([[:space:]]*\)thin_pool_autoextend_threshold = .*/\1thin_pool_autoextend_threshold = 100/' /etc/lvm/lvm.conf
