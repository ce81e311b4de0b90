set -eu
mount "/dev/$VG/$LV" "$MOUNTPOINT"
