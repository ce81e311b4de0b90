# The router's subinterface was created with id 20: it is called .10 but it is in VLAN 20.
# labkit-fails: router-vlan a-reaches-gateway a-nat-reach
set -eu
ip link del "$UPLINK.$VIN"
ip link add link "$UPLINK" name "$UPLINK.$VIN" type vlan id "$VB"
ip addr add "$INNET.1/24" dev "$UPLINK.$VIN"
ip link set "$UPLINK.$VIN" up
