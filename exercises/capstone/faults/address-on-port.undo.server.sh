set -eu
ip addr del "$SERVER_IP/24" dev "$UPLINK.$VLAN"
ip addr add "$SERVER_IP/24" dev "$BRIDGE"
