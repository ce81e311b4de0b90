# Neither forwarding nor NAT: the VLAN's machines reach the server, but nothing beyond it.
# labkit-fails: forwarding nat
set -eu
sysctl -q -w net.ipv4.ip_forward=0
nft delete table ip nat
