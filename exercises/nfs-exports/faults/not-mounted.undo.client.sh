set -eu
mount "/mnt/$SHARE"
