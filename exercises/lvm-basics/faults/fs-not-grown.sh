# The LV was resized without -r: the filesystem inside is smaller than the volume.
# labkit-fails: fs-fills
set -eu
umount "$MOUNTPOINT"
e2fsck -fy "/dev/$VG/$LV" >/dev/null 2>&1 || true
resize2fs "/dev/$VG/$LV" "${FIRST}M" >/dev/null 2>&1
mount "/dev/$VG/$LV" "$MOUNTPOINT"
