# The bridge was created but never brought up: it forwards nothing.
# labkit-fails: bridge-up bridge-host-reach bridge-vm-reach
set -eu
ip link set "$BRIDGE" down
