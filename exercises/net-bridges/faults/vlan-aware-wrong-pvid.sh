# vm8-sw was given VLAN_A as its PVID too: the VLAN-aware bridge no longer separates vm8.
# labkit-fails: vlan-bridge-vm8 vlan-bridge-isolated
set -eu
bridge vlan add dev vm8-sw vid "$VLAN_A" pvid untagged
