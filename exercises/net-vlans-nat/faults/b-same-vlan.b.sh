# b's subinterface was created with id 10: b is now in a's VLAN and a reaches it.
# labkit-fails: b-vlan a-vlan-isolation
set -eu
ip link del "$UPLINK.$VB"
ip link add link "$UPLINK" name "$UPLINK.$VB" type vlan id "$VIN"
ip link set "$UPLINK.$VB" master "$BBRIDGE"
ip link set "$UPLINK.$VB" up
