# The pair was made with another name for its second end.
# labkit-fails: veth-pair
set -eu
ip link del veth0
ip link add dev veth0 type veth peer name veth0-peer
ip link set veth0 up
ip link set veth0-peer up
