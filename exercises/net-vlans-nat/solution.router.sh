# Solution of net-vlans-nat on the router: VLAN 10 gateway, forwarding and NAT to the outside.
set -eu
ip link del "$UPLINK.$VIN" 2>/dev/null || true
ip addr del 198.51.100.1/24 dev "$UPLINK" 2>/dev/null || true
nft delete table ip nat 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VIN" type vlan id "$VIN"
ip addr add "$INNET.1/24" dev "$UPLINK.$VIN"
ip link set "$UPLINK.$VIN" up
ip addr add 198.51.100.1/24 dev "$UPLINK"
sysctl -q -w net.ipv4.ip_forward=1
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/60-forward.conf
nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'
nft add rule ip nat postrouting ip saddr "$INSIDE" oifname "$UPLINK" masquerade
