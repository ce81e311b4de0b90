set -eu
resize2fs "/dev/$VG/$LV" >/dev/null 2>&1
