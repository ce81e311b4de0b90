set -eu
mount /mnt/share
