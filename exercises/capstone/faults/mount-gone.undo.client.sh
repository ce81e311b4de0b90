set -eu
mv /root/labkit-fault-fstab /etc/fstab
mount "/mnt/$SHARE"
