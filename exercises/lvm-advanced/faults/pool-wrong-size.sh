# The thin pool was made bigger than asked (a thin pool cannot be shrunk back).
# labkit-fails: pool
set -eu
lvextend -q -L "+8M" "$VG/$POOL"
