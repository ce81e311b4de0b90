# Solution of the capstone, client side: on the VMs' VLAN; logged in to the LUN with CHAP (at
# boot too) and naming it /dev/$LUN; the templates' share mounted (and in /etc/fstab), with a
# qcow2 template and a clone backed by it.
set -eu
# -- network
ip link del "$UPLINK.$VLAN" 2>/dev/null || true
ip link add link "$UPLINK" name "$UPLINK.$VLAN" type vlan id "$VLAN"
ip addr add "$CLIENT_IP/24" dev "$UPLINK.$VLAN"
ip link set "$UPLINK.$VLAN" up
# -- iSCSI
rule=/etc/udev/rules.d/20-persistent-iscsi.rules
iscsiadm -m node -T "$IQN" -u >/dev/null 2>&1 || true
iscsiadm -m discovery -o new -o update -t sendtargets -p "$SERVER" >/dev/null
node() { iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n "$1" -v "$2"; }
node node.session.auth.authmethod CHAP
node node.session.auth.username "$CHAP_USER"
node node.session.auth.password "$CHAP_PASSWORD"
node node.startup automatic
iscsiadm -m node -T "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
dev=
for i in 1 2 3 4 5 6 7 8 9 10; do
  dev=$(lsblk -ndo NAME,TRAN,SIZE -b | awk '$2=="iscsi" && $3==536870912 {print $1; exit}')
  [ -n "$dev" ] && break
  sleep 1
done
[ -n "$dev" ] || { echo "labkit: the 512M iSCSI disk did not appear" >&2; exit 1; }
id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace "/dev/$dev")
touch "$rule"
sed -i "/SYMLINK+=\"$LUN\"/d" "$rule"
printf 'KERNEL=="sd[a-z]", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$name", RESULT=="%s", SYMLINK+="%s"\n' "$id" "$LUN" >> "$rule"
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ -e "/dev/$LUN" ] || { echo "labkit: /dev/$LUN did not appear" >&2; exit 1; }
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
