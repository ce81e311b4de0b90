# One end of the pair was never brought up (new devices start DOWN).
# labkit-fails: veth-up
set -eu
ip link set "$VETH" down
