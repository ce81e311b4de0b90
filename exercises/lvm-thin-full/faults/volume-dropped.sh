# The pool got its room back by removing the thin volume, and its data with it.
# labkit-fails: volume-kept
set -eu
lvremove -q -y "$VG/$VOLUME"
