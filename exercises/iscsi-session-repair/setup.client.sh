# Drill iscsi-session-repair, client side (the starting state): the client used the LUN as
# /dev/$LUN (a udev rule on the disk's SCSI id), then it restarted: its node record still has
# the old CHAP secret and logs in by hand only, so the session is gone and so is /dev/$LUN.
set -eu
command -v iscsiadm >/dev/null || { echo "labkit: install open-iscsi first" >&2; exit 3; }
rule=/etc/udev/rules.d/20-persistent-iscsi.rules
iscsiadm -m node -T "$IQN" -u >/dev/null 2>&1 || true
iscsiadm -m node -T "$IQN" -o delete >/dev/null 2>&1 || true
iscsiadm -m discovery -o new -o update -t sendtargets -p "$SERVER" >/dev/null
iscsiadm -m node -T "$IQN" -p "$SERVER" -o delete >/dev/null 2>&1 || true
iscsiadm -m node -T "$IQN" -p "$SERVER" -o new >/dev/null
node() { iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n "$1" -v "$2"; }
node node.session.auth.authmethod CHAP
node node.session.auth.username "$CHAP_USER"
node node.session.auth.password "$CHAP_PASSWORD"
iscsiadm -m node -T "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
size=$(numfmt --from=iec "${SIZE%B}")
dev=
for i in 1 2 3 4 5 6 7 8 9 10; do
  dev=$(lsblk -ndo NAME,TRAN,SIZE -b | awk -v s="$size" '$2=="iscsi" && $3==s {print $1; exit}')
  [ -n "$dev" ] && break
  sleep 1
done
[ -n "$dev" ] || { echo "labkit: the iSCSI disk did not appear" >&2; exit 1; }
id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace "/dev/$dev")
touch "$rule"
sed -i "/SYMLINK+=\"$LUN\"/d" "$rule"
printf 'KERNEL=="sd[a-z]", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$name", RESULT=="%s", SYMLINK+="%s"\n' "$id" "$LUN" >> "$rule"
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ -e "/dev/$LUN" ] || { echo "labkit: /dev/$LUN did not appear" >&2; exit 1; }
# ... the restart: the session drops, and the node record keeps the old secret
iscsiadm -m node -T "$IQN" -p "$SERVER" -u >/dev/null
node node.session.auth.password "$OLD_PASSWORD"
node node.startup manual
udevadm settle
