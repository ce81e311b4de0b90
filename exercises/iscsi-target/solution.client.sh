# Solution of iscsi-target, client side: discovery, CHAP in the node record, login at boot,
# and a udev rule that names the first LUN /dev/$LINK whatever sdX it gets.
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
bytes=$((LUN_SIZE * 1048576))
dev=$(lsblk -ndo NAME,TRAN,SIZE -b | awk -v b="$bytes" '$2=="iscsi" && $3==b {print $1; exit}')
[ -n "$dev" ] || { echo "labkit: the ${LUN_SIZE}M iSCSI disk did not appear" >&2; exit 1; }
id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace "/dev/$dev")
cat > /etc/udev/rules.d/20-persistent-iscsi.rules <<EOT
KERNEL=="sd[a-z]", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/\$name", RESULT=="$id", SYMLINK+="$LINK"
EOT
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ -e "/dev/$LINK" ]
