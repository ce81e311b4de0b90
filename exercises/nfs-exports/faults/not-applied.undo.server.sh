set -eu
exportfs -ra
