# The pair was made with another name for its second end.
# labkit-fails: veth-pair
set -eu
ip link del "$VETH"
ip link add dev "$VETH" type veth peer name "${VETH}-peer"
ip link set "$VETH" up
ip link set "${VETH}-peer" up
