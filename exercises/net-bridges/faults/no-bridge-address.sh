# The bridge has no address: the host is not on the bridge's network.
# labkit-fails: bridge-address bridge-host-reach
set -eu
ip addr del "$NET1.1/24" dev "$BRIDGE"
