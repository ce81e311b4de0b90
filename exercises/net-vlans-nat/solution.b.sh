# Solution of net-vlans-nat on b: a bridge on VLAN 20 (its uplink is eth1.20), and an outside
# address on the untagged network.
set -eu
ip link del br20 2>/dev/null || true
ip link del br99 2>/dev/null || true
ip link del "$UPLINK.20" 2>/dev/null || true
ip addr del 198.51.100.12/24 dev "$UPLINK" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.20" type vlan id 20
ip link add br20 type bridge
ip link set "$UPLINK.20" master br20
ip link set "$UPLINK.20" up
ip link set br20 up
ip addr add 10.0.10.12/24 dev br20
ip addr add 198.51.100.12/24 dev "$UPLINK"
