# vm3's port has no tag: an untagged OVS port is a trunk, not an access port of the VLAN.
# labkit-fails: vm3-tag same-vlan-reach host-switch-reach
set -eu
ovs-vsctl remove port vm3-sw tag "$VLAN_A"
