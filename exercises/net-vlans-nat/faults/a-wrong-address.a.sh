# a took another address of the inside network than the one asked for.
# labkit-fails: a-address
set -eu
ip addr add "$INNET.13/24" dev "$UPLINK.$VIN"
ip addr del "$INNET.11/24" dev "$UPLINK.$VIN"
