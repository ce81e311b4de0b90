# Solution of net-vlans-nat on b: a bridge on VLAN 20 (its uplink is eth1.20), and an outside
# address on the untagged network.
set -eu
ip link del "$BBRIDGE" 2>/dev/null || true
ip link del br99 2>/dev/null || true
ip link del "$UPLINK.$VB" 2>/dev/null || true
ip addr del 198.51.100.12/24 dev "$UPLINK" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VB" type vlan id "$VB"
ip link add "$BBRIDGE" type bridge
ip link set "$UPLINK.$VB" master "$BBRIDGE"
ip link set "$UPLINK.$VB" up
ip link set "$BBRIDGE" up
ip addr add "$INNET.12/24" dev "$BBRIDGE"
ip addr add 198.51.100.12/24 dev "$UPLINK"
