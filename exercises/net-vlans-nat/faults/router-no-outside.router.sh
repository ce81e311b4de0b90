# The router has no outside address: it cannot masquerade anyone towards b.
# labkit-fails: router-outside-address a-nat-reach
set -eu
ip addr del 198.51.100.1/24 dev "$UPLINK"
