# Solution of net-bridges: a Linux bridge (ip link and brctl) and an Open vSwitch switch with
# VLAN tags; the "virtual machines" are network namespaces plugged in with veth pairs. The
# names, networks and VLAN ids are the student's.
set -eu
for ns in vm1 vm2 vm3 vm4 vm5 vm6 vm7 vm8; do
  if [ -e "/run/netns/$ns" ]; then ip netns del "$ns"; fi
done
ip link del "$BRIDGE" 2>/dev/null || true
ip link del "$VBRIDGE" 2>/dev/null || true
ip link del host0 2>/dev/null || true

# vm NAME ADDRESS: a namespace NAME holding one end of a veth pair (NAME, with ADDRESS);
# the other end, NAME-sw, stays on the host to be plugged into a switch.
vm() {
  ip netns add "$1"
  ip link add "$1" netns "$1" type veth peer name "$1-sw"
  printf 'link set lo up\naddr add %s dev %s\nlink set %s up\n' "$2" "$1" "$1" \
    | ip -n "$1" -batch -
  ip link set "$1-sw" up
}

# A Linux bridge, made with ip link ...
ip link add "$BRIDGE" type bridge
ip link set "$BRIDGE" up
ip addr add "$NET1.1/24" dev "$BRIDGE"      # the host itself joins the bridge's network
vm vm1 "$NET1.11/24"
vm vm2 "$NET1.12/24"
ip link set vm1-sw master "$BRIDGE"
# ... or with bridge-utils
brctl addif "$BRIDGE" vm2-sw

# The bridge, for the next boot (systemd-networkd)
printf '[NetDev]\nName=%s\nKind=bridge\n' "$BRIDGE" > "/etc/systemd/network/50-$BRIDGE.netdev"
printf '[Match]\nName=%s\n\n[Network]\nAddress=%s\nConfigureWithoutCarrier=yes\n' \
  "$BRIDGE" "$NET1.1/24" > "/etc/systemd/network/50-$BRIDGE.network"

# Open vSwitch: VLAN_A (vm3, vm4 and the host through host0) and VLAN_B (vm5), all with
# addresses of one IP network. One ovs-vsctl call, one database transaction.
vm vm3 "$NET2.13/24"
vm vm4 "$NET2.14/24"
vm vm5 "$NET2.15/24"
ip link add host0 type veth peer name host0-sw
ip addr add "$NET2.1/24" dev host0
ip link set host0 up
ip link set host0-sw up
ovs-vsctl --if-exists del-br "$SWITCH" -- add-br "$SWITCH" \
  -- add-port "$SWITCH" vm3-sw tag="$VLAN_A" \
  -- add-port "$SWITCH" vm4-sw tag="$VLAN_A" \
  -- add-port "$SWITCH" vm5-sw tag="$VLAN_B" \
  -- add-port "$SWITCH" host0-sw tag="$VLAN_A"

# A VLAN-aware Linux bridge: the bridge itself keeps VLANs apart. An access port has ONE
# PVID, here its only untagged VLAN (and it leaves the default VLAN 1).
ip link add "$VBRIDGE" type bridge vlan_filtering 1
ip link set "$VBRIDGE" up
vm vm6 "$NET3.16/24"
vm vm7 "$NET3.17/24"
vm vm8 "$NET3.18/24"
for port in vm6-sw vm7-sw vm8-sw; do ip link set "$port" master "$VBRIDGE"; done
printf '%s\n' "vlan add dev vm6-sw vid $VLAN_A pvid untagged" "vlan del dev vm6-sw vid 1" \
  "vlan add dev vm7-sw vid $VLAN_A pvid untagged" "vlan del dev vm7-sw vid 1" \
  "vlan add dev vm8-sw vid $VLAN_B pvid untagged" "vlan del dev vm8-sw vid 1" | bridge -batch -
