# The server's address went to the bridge's port instead of the bridge: a port's address is
# never answered (the bridge takes its frames).
# labkit-fails: server-address client-reaches-server
set -eu
ip addr del "$SERVER_IP/24" dev "$BRIDGE"
ip addr add "$SERVER_IP/24" dev "$UPLINK.$VLAN"
