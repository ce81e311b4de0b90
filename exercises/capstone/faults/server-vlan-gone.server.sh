# The server's VLAN subinterface was deleted: the bridge has no uplink and the VLAN is cut.
# labkit-fails: server-vlan bridge-uplink client-reaches-server
set -eu
ip link del "$UPLINK.$VLAN"
