# Forwarding but no NAT: b receives packets from 10.0.10.11 and has no route back.
# labkit-fails: router-nat a-nat-reach
set -eu
nft delete table ip nat
