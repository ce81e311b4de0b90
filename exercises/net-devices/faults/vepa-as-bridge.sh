# The third macvtap was made in bridge mode, not vepa: its neighbours talk inside the host.
# labkit-fails: macvtap-vepa
set -eu
ip link del "$MV_VEPA"
ip link add link "$UPLINK" name "$MV_VEPA" type macvtap mode bridge
