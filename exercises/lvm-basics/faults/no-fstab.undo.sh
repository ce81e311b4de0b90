set -eu
echo "/dev/$VG/webserver $MOUNTPOINT ext4 defaults 0 2" >> /etc/fstab
