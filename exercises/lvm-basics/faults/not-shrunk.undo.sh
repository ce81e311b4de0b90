set -eu
umount "$MOUNTPOINT"
lvresize -q -f -r -L 60M "$VG/webserver"
mount "/dev/$VG/webserver" "$MOUNTPOINT"
