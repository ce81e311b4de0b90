# The volume was grown but the shrink was forgotten: it is $GROWN MiB, not $SIZE MiB.
# labkit-fails: lv-size
set -eu
umount "$MOUNTPOINT"
lvresize -q -r -L "${GROWN}M" "$VG/$LV"
mount "/dev/$VG/$LV" "$MOUNTPOINT"
