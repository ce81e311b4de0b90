# a took another address of the inside network than the one asked for (everything else as
# the solution left it: the route to the outside is put back after the address changed).
# labkit-fails: a-address
set -eu
ip addr flush dev "$UPLINK.$VIN"
ip addr add "$INNET.13/24" dev "$UPLINK.$VIN"
ip route replace 198.51.100.0/24 via "$INNET.1"
