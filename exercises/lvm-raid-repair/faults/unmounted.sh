# The volume was unmounted for the repair and left so: the service has no data.
# labkit-fails: mounted
set -eu
umount "/srv/$LV"
