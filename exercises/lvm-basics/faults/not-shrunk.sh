# The volume was grown but the shrink was forgotten: it is 80M, not 60M.
# labkit-fails: lv-size
set -eu
umount "$MOUNTPOINT"
lvresize -q -r -L 80M "$VG/webserver"
mount "/dev/$VG/webserver" "$MOUNTPOINT"
