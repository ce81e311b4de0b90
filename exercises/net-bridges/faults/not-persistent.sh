# The bridge works now, but nothing describes it for the next boot.
# labkit-fails: bridge-persistent
set -eu
rm -f "/etc/systemd/network/50-$BRIDGE.netdev" "/etc/systemd/network/50-$BRIDGE.network"
