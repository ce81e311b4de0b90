# The router's VLAN subinterface has no address: it is nobody's gateway.
# labkit-fails: router-gateway-address a-reaches-gateway a-nat-reach
set -eu
ip addr del "$INNET.1/24" dev "$UPLINK.$VIN"
