# vm1-sw was taken out of the bridge (ip link set vm1-sw nomaster).
# labkit-fails: vm1-port bridge-host-reach bridge-vm-reach
set -eu
ip link set vm1-sw nomaster
