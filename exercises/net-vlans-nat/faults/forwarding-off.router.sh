# Forwarding is off on the router (it was set in the file but never applied, or reset).
# labkit-fails: router-forwarding a-nat-reach
set -eu
sysctl -q -w net.ipv4.ip_forward=0
