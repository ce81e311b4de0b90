# vm5 was given the others' tag: its own VLAN is not isolated any more.
# labkit-fails: vm5-tag other-vlan-isolated
set -eu
ovs-vsctl set port vm5-sw tag="$VLAN_A"
