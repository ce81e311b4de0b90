# vm4 was plugged into the Linux bridge instead of the Open vSwitch switch.
# labkit-fails: vm4-tag same-vlan-reach
set -eu
ovs-vsctl del-port "$SWITCH" vm4-sw
ip link set vm4-sw master "$BRIDGE"
