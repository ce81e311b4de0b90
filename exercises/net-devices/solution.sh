# Solution of net-devices: the course's TAP/TUN, veth and macvtap commands, with the
# student's device names.
set -eu
for dev in "$TAP" "$TUN" "$VETH" "$MV_BRIDGE" "$MV_PRIVATE" "$MV_VEPA"; do
  ip link del "$dev" 2>/dev/null || true
done
ip tuntap add "$TAP" mode tap
ip tuntap add "$TUN" mode tun
ip link add dev "$VETH" type veth peer name "$PEER"
ip link set "$VETH" up
ip link set "$PEER" up
ip link add link "$UPLINK" name "$MV_BRIDGE" type macvtap mode bridge
ip link add link "$UPLINK" name "$MV_PRIVATE" type macvtap mode private
ip link add link "$UPLINK" name "$MV_VEPA" type macvtap mode vepa
