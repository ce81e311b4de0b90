# macvtap0 made without "mode bridge": macvtap's default mode is vepa.
# labkit-fails: macvtap-bridge
set -eu
ip link del macvtap0
ip link add link "$UPLINK" name macvtap0 type macvtap
