# The read-only folder is not mounted on the client now.
# labkit-fails: ro-mounted
set -eu
umount "/mnt/$RO"
