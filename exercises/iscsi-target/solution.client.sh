# Solution of iscsi-target, client side: discovery, CHAP in the node record, login at boot,
# and a udev rule that names the first LUN /dev/vm1 whatever sdX it gets.
set -eu
command -v iscsiadm >/dev/null || { echo "labkit: install open-iscsi first" >&2; exit 3; }
iscsiadm -m node -u >/dev/null 2>&1 || true
iscsiadm -m node -o delete >/dev/null 2>&1 || true
rm -f /etc/udev/rules.d/20-persistent-iscsi.rules
iscsiadm -m discovery -o update -t sendtargets -p "$SERVER" >/dev/null
node() { iscsiadm -m node --targetname "$IQN" -p "$SERVER" -o update -n "$1" -v "$2"; }
node node.session.auth.authmethod CHAP
node node.session.auth.username "$CHAP_USER"
node node.session.auth.password "$CHAP_PASSWORD"
node node.startup automatic
iscsiadm -m node --targetname "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
dev=$(for d in /sys/class/scsi_disk/*; do :; done; lsblk -ndo NAME,TRAN,SIZE -b | awk '$2=="iscsi" && $3==67108864 {print $1; exit}')
[ -n "$dev" ] || { echo "labkit: the 64M iSCSI disk did not appear" >&2; exit 1; }
id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace "/dev/$dev")
cat > /etc/udev/rules.d/20-persistent-iscsi.rules <<EOT
KERNEL=="sd[a-z]", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/\$name", RESULT=="$id", SYMLINK+="vm1"
EOT
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ -e /dev/vm1 ]
