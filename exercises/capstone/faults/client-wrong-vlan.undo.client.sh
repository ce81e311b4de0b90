set -eu
ip link del "$UPLINK.$VLAN"
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$VLAN"
ip addr add "$CLIENT_IP/24" dev "$UPLINK.$VLAN"
ip link set "$UPLINK.$VLAN" up
