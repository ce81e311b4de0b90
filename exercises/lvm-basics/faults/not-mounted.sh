# The volume is in /etc/fstab but not mounted now.
# labkit-fails: mounted
set -eu
umount "$MOUNTPOINT"
