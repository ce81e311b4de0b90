# The share was mounted by hand once and is gone now: not mounted, not in /etc/fstab.
# labkit-fails: mounted mounted-at-boot
set -eu
umount "/mnt/$SHARE"
cp /etc/fstab /root/labkit-fault-fstab
sed -i "\\#[[:space:]]/mnt/$SHARE[[:space:]]#d" /etc/fstab
