# The host's port was put in the other VLAN: the host cannot reach vm3.
# labkit-fails: host-on-switch host-switch-reach
set -eu
ovs-vsctl set port host0-sw tag="$VLAN_B"
