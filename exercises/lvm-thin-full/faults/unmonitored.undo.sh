set -eu
lvchange -q --monitor y "$VG/$POOL"
