# The share is not mounted on the client now.
# labkit-fails: share-mounted
set -eu
umount "/mnt/$SHARE"
