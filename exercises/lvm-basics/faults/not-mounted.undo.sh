set -eu
mount "/dev/$VG/webserver" "$MOUNTPOINT"
