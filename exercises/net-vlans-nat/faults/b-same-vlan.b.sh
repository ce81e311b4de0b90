# b's subinterface was created with id 10: b is now in a's VLAN and a reaches it.
# labkit-fails: b-vlan a-vlan-isolation
set -eu
ip link del "$UPLINK.20"
ip link add link "$UPLINK" name "$UPLINK.20" type vlan id 10
ip link set "$UPLINK.20" master br20
ip link set "$UPLINK.20" up
