# Solution of net-devices: the course's TAP/TUN, veth and macvtap commands.
set -eu
for dev in tap0 tun0 veth0 macvtap0 macvtap1 macvtap2; do
  ip link del "$dev" 2>/dev/null || true
done
ip tuntap add tap0 mode tap
ip tuntap add tun0 mode tun
ip link add dev veth0 type veth peer name veth0-sw
ip link set veth0 up
ip link set veth0-sw up
ip link add link "$UPLINK" name macvtap0 type macvtap mode bridge
ip link add link "$UPLINK" name macvtap1 type macvtap mode private
ip link add link "$UPLINK" name macvtap2 type macvtap mode vepa
