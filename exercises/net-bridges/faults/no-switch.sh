# The Open vSwitch switch was deleted (ovs-vsctl del-br): its ports and VLANs are gone.
# labkit-fails: switch-exists same-vlan-reach host-switch-reach
set -eu
ovs-vsctl del-br "$SWITCH"
