# vm5 was given tag=10 like the others: VLAN 20 is not isolated any more.
# labkit-fails: vm5-tag other-vlan-isolated
set -eu
ovs-vsctl set port vm5-sw tag=10
