set -eu
umount "$MOUNTPOINT"
lvresize -q -f -r -L "${SIZE}M" "$VG/$LV"
mount "/dev/$VG/$LV" "$MOUNTPOINT"
