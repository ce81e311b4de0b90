# Solution of net-vlans-nat on a: a host of VLAN 10 that reaches the outside through the router.
set -eu
ip link del "$UPLINK.$VIN" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VIN" type vlan id "$VIN"
ip addr add "$INNET.11/24" dev "$UPLINK.$VIN"
ip link set "$UPLINK.$VIN" up
ip route add 198.51.100.0/24 via "$INNET.1"
# for the next boot (systemd-networkd)
mkdir -p /etc/systemd/network/20-lab.network.d
printf '[Network]\nVLAN=%s.%s\n' "$UPLINK" "$VIN" > /etc/systemd/network/20-lab.network.d/vlan.conf
printf '[NetDev]\nName=%s.%s\nKind=vlan\n\n[VLAN]\nId=%s\n' "$UPLINK" "$VIN" "$VIN" \
  > "/etc/systemd/network/30-$UPLINK.$VIN.netdev"
printf '[Match]\nName=%s.%s\n\n[Network]\nAddress=%s.11/24\n\n[Route]\nDestination=198.51.100.0/24\nGateway=%s.1\n' \
  "$UPLINK" "$VIN" "$INNET" "$INNET" > "/etc/systemd/network/30-$UPLINK.$VIN.network"
