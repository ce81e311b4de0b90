# Solution of the capstone, client side: on the VMs' VLAN; logged in to the LUN with CHAP (at
# boot too) and naming it /dev/$LUN; the templates' share mounted (and in /etc/fstab), with a
# qcow2 template and a clone backed by it.
set -eu
# labkit-include: iscsi.sh
# -- network
ip link del "$UPLINK.$VLAN" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$VLAN"
ip addr add "$CLIENT_IP/24" dev "$UPLINK.$VLAN"
ip link set "$UPLINK.$VLAN" up
# -- iSCSI
iscsiadm -m node -T "$IQN" -u >/dev/null 2>&1 || true
iscsiadm -m discovery -o new -o update -t sendtargets -p "$SERVER" >/dev/null
iscsi_chap
iscsi_node node.startup automatic
iscsi_login
iscsi_name_lun 536870912 "the 512M iSCSI disk"
# -- NFS and the images
umount "/mnt/$SHARE" 2>/dev/null || true
sed -i "\\#[[:space:]]/mnt/$SHARE[[:space:]]#d" /etc/fstab
mkdir -p "/mnt/$SHARE"
echo "$SERVER:/srv/$SHARE /mnt/$SHARE nfs defaults,_netdev 0 0" >> /etc/fstab
mount "/mnt/$SHARE"
cd "/mnt/$SHARE"
rm -f base.qcow2 "$CLONE.qcow2"
qemu-img create -q -f qcow2 base.qcow2 1G
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$CLONE.qcow2"
