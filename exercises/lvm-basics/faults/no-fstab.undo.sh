set -eu
echo "/dev/$VG/$LV $MOUNTPOINT ext4 defaults 0 2" >> /etc/fstab
