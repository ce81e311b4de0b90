set -eu
mount "/mnt/$RO"
