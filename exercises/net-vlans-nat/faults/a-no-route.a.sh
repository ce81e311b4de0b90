# a has no route to the outside network.
# labkit-fails: a-route a-nat-reach
set -eu
ip route del 198.51.100.0/24
