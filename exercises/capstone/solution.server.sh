# Solution of the capstone, server side: the VMs' VLAN as the uplink of a bridge that holds the
# server's address, forwarding and NAT out of eth1; an LVM thin volume exported as an iSCSI LUN
# (ACL + CHAP, saved); an NFS export with root_squash for the templates.
set -eu
for c in targetcli exportfs nft; do
  command -v "$c" >/dev/null || { echo "labkit: $c is missing: run this on a lab VM" >&2; exit 3; }
done
[ -b "$DISK" ] || { echo "labkit: $DISK is not a disk: run this on a lab VM" >&2; exit 3; }
# -- network: VLAN -> bridge, forwarding, NAT
ip link del "$BRIDGE" 2>/dev/null || true
ip link del "$UPLINK.$VLAN" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$VLAN"
ip link add "$BRIDGE" type bridge
ip link set "$UPLINK.$VLAN" master "$BRIDGE"
ip addr add "$SERVER_IP/24" dev "$BRIDGE"
ip link set "$UPLINK.$VLAN" up
ip link set "$BRIDGE" up
sysctl -q -w net.ipv4.ip_forward=1
nft delete table ip nat 2>/dev/null || true
nft add table ip nat
nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; }'
nft add rule ip nat postrouting ip saddr "$NET" oifname "$UPLINK" masquerade
# -- block storage: a thin volume larger than its pool, shared by iSCSI
targetcli /iscsi delete "$IQN" >/dev/null 2>&1 || true
targetcli /backstores/block delete "$LUN" >/dev/null 2>&1 || true
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK" >/dev/null 2>&1 || true
wipefs -qa "$DISK"
vgcreate -q "$VG" "$DISK"
lvcreate -q -y -T -L 256M "$VG/pool" 2>/dev/null
lvcreate -q -y -T -V 512M -n "$LUN" "$VG/pool" 2>/dev/null
acl="/iscsi/$IQN/tpg1/acls/$INITIATOR"
targetcli >/dev/null <<EOT
/backstores/block create $LUN /dev/$VG/$LUN
/iscsi create $IQN
/iscsi/$IQN/tpg1/luns create /backstores/block/$LUN
/iscsi/$IQN/tpg1/acls create $INITIATOR
$acl set auth userid=$CHAP_USER password=$CHAP_PASSWORD
/iscsi/$IQN/tpg1 set attribute authentication=1
saveconfig
exit
EOT
systemctl enable -q rtslib-fb-targetctl
# -- file storage: the templates' folder, root squashed
mkdir -p "/srv/$SHARE"
chown nobody:nogroup "/srv/$SHARE"
touch /etc/exports
sed -i "\\#^/srv/$SHARE[[:space:]]#d" /etc/exports
echo "/srv/$SHARE $CLIENTS(rw,sync,root_squash,no_subtree_check)" >> /etc/exports
systemctl enable -q --now nfs-server
exportfs -ra
