# macvtap0 made without "mode bridge": macvtap's default mode is vepa.
# labkit-fails: macvtap-bridge
set -eu
ip link del "$MV_BRIDGE"
ip link add link "$UPLINK" name "$MV_BRIDGE" type macvtap
