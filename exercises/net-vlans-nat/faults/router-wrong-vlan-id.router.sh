# The router's subinterface was created with id 20: it is called .10 but it is in VLAN 20.
# labkit-fails: router-vlan a-reaches-gateway a-nat-reach
set -eu
ip link del "$UPLINK.10"
ip link add link "$UPLINK" name "$UPLINK.10" type vlan id 20
ip addr add 10.0.10.1/24 dev "$UPLINK.10"
ip link set "$UPLINK.10" up
