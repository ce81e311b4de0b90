set -eu
mount "/srv/$LV"
