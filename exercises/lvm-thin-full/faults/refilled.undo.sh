set -eu
lvremove -q -y "$VG/labkit-filler"
lvextend -q -L 256M "$VG/$POOL"
