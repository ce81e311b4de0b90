set -eu
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$VLAN"
ip link set "$UPLINK.$VLAN" master "$BRIDGE"
ip link set "$UPLINK.$VLAN" up
