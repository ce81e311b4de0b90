# Solution of net-vlans-nat on a: a host of VLAN 10 that reaches the outside through the router.
set -eu
ip link del "$UPLINK.10" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.10" type vlan id 10
ip addr add 10.0.10.11/24 dev "$UPLINK.10"
ip link set "$UPLINK.10" up
ip route add 198.51.100.0/24 via 10.0.10.1
# for the next boot (systemd-networkd)
mkdir -p /etc/systemd/network/20-lab.network.d
printf '[Network]\nVLAN=%s.10\n' "$UPLINK" > /etc/systemd/network/20-lab.network.d/vlan10.conf
printf '[NetDev]\nName=%s.10\nKind=vlan\n\n[VLAN]\nId=10\n' "$UPLINK" \
  > "/etc/systemd/network/30-$UPLINK.10.netdev"
printf '[Match]\nName=%s.10\n\n[Network]\nAddress=10.0.10.11/24\n\n[Route]\nDestination=198.51.100.0/24\nGateway=10.0.10.1\n' \
  "$UPLINK" > "/etc/systemd/network/30-$UPLINK.10.network"
