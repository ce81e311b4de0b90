# The group was made with another name (the course's example instead of the student's own):
# nothing of the student's VG exists.
# labkit-fails: vg-exists
set -eu
umount "$MOUNTPOINT"
vgrename -q "$VG" "${VG}_other"
