# The VLAN subinterface was put in another bridge: br20 has no way out.
# labkit-fails: b-bridge-uplink
set -eu
ip link add br99 type bridge
ip link set "$UPLINK.$VB" master br99
ip link set br99 up
