# a's VLAN subinterface is gone (deleted, or lost in a reboot): a is off the inside network.
# labkit-fails: a-vlan a-address a-route a-reaches-gateway a-nat-reach
set -eu
ip link del "$UPLINK.$VIN"
