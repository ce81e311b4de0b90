# vm8-sw was given VLAN 10 as its PVID too: the VLAN-aware bridge no longer separates vm8.
# labkit-fails: vlan-bridge-vm8 vlan-bridge-isolated
set -eu
bridge vlan add dev vm8-sw vid 10 pvid untagged
