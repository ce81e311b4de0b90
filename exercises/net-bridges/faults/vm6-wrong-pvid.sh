# vm6-sw got the second VLAN as its PVID: vm6 is cut off from vm7.
# labkit-fails: vlan-bridge-vm6 vlan-bridge-reach
set -eu
bridge vlan add dev vm6-sw vid "$VLAN_B" pvid untagged
bridge vlan del dev vm6-sw vid "$VLAN_A"
