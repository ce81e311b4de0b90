set -eu
vgrename -q "${VG}_other" "$VG"
mount "/dev/$VG/$LV" "$MOUNTPOINT"
