# The client tags its frames with another VLAN id: it is on another network.
# labkit-fails: client-vlan client-reaches-server
set -eu
ip link del "$UPLINK.$VLAN"
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$((VLAN + 1))"
ip addr add "$CLIENT_IP/24" dev "$UPLINK.$VLAN"
ip link set "$UPLINK.$VLAN" up
