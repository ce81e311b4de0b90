# b's bridge has no address (isolation means nothing without the host being isolated).
# labkit-fails: b-address a-vlan-isolation
set -eu
ip addr del "$INNET.12/24" dev "$BBRIDGE"
