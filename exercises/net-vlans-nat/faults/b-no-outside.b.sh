# b has no outside address: nobody outside answers a.
# labkit-fails: b-outside-address a-nat-reach
set -eu
ip addr del 198.51.100.12/24 dev "$UPLINK"
