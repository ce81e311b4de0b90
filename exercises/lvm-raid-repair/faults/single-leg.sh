# The "repair" dropped the mirror (lvconvert -m 0): no missing PV, but one copy only.
# labkit-fails: raid-healthy
set -eu
lvconvert -q -y -m 0 "$VG/$LV"
