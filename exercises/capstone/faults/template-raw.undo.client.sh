set -eu
cd "/mnt/$SHARE"
rm -f base.qcow2
cp /root/labkit-fault-base.qcow2 base.qcow2
rm -f /root/labkit-fault-base.qcow2
