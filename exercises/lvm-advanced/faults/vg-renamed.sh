# The group was made with another name (the course's example instead of the student's own).
# labkit-fails: vg-exists
set -eu
vgrename -q "$VG" "${VG}_other"
