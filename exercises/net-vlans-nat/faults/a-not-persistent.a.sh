# a's VLAN was only made with ip commands: nothing brings it back after a reboot.
# labkit-fails: a-vlan-persistent
set -eu
rm -f /etc/systemd/network/30-"$UPLINK.$VIN".netdev /etc/systemd/network/30-"$UPLINK.$VIN".network
rm -rf /etc/systemd/network/20-lab.network.d
