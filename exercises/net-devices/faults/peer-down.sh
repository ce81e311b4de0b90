# The second end of the pair was never brought up (new devices start DOWN).
# labkit-fails: veth-sw-up
set -eu
ip link set "$PEER" down
