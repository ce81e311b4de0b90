# vm2-sw was taken out of the bridge (brctl delif): vm1 cannot reach vm2.
# labkit-fails: vm2-port bridge-vm-reach
set -eu
brctl delif "$BRIDGE" vm2-sw
