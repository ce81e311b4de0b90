# Mounted by hand but never written to /etc/fstab: gone after a reboot.
# labkit-fails: at-boot
set -eu
sed -i "\\#[[:space:]]$MOUNTPOINT[[:space:]]#d" /etc/fstab
