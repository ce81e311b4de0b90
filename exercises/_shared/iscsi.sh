# iSCSI initiator steps shared by the exercise scripts (a script takes them in with a line
# "# labkit-include: iscsi.sh"). Each function reads IQN (the target's name) and SERVER (its
# portal), and what its comment names besides.

# iscsi_node SETTING VALUE: set SETTING to VALUE in the node record of $IQN at $SERVER.
iscsi_node() { iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n "$1" -v "$2"; }

# iscsi_chap: the node record logs in with CHAP as $CHAP_USER, secret $CHAP_PASSWORD.
iscsi_chap() {
  iscsi_node node.session.auth.authmethod CHAP
  iscsi_node node.session.auth.username "$CHAP_USER"
  iscsi_node node.session.auth.password "$CHAP_PASSWORD"
}

# iscsi_login: log in to $IQN at $SERVER (with the node record's settings); wait for udev.
iscsi_login() {
  iscsiadm -m node -T "$IQN" -p "$SERVER" --login >/dev/null
  udevadm settle
}

# iscsi_name_lun BYTES WHAT: wait up to 10 s for the iSCSI disk of BYTES bytes (exit 1 with
# "labkit: WHAT did not appear" if it does not), then name it /dev/$LUN whatever sdX it gets:
# a udev rule on its SCSI id in $rule (replacing an earlier rule for $LUN); exit 1 if /dev/$LUN
# does not appear. Reads LUN; sets rule, dev (the disk's kernel name) and id (its SCSI id).
iscsi_name_lun() {
  rule=/etc/udev/rules.d/20-persistent-iscsi.rules
  dev=
  for i in 1 2 3 4 5 6 7 8 9 10; do
    dev=$(lsblk -ndo NAME,TRAN,SIZE -b | awk -v s="$1" '$2=="iscsi" && $3==s {print $1; exit}')
    [ -n "$dev" ] && break
    sleep 1
  done
  [ -n "$dev" ] || { echo "labkit: $2 did not appear" >&2; exit 1; }
  id=$(/lib/udev/scsi_id --whitelisted --replace-whitespace "/dev/$dev")
  touch "$rule"
  sed -i "/SYMLINK+=\"$LUN\"/d" "$rule"
  printf 'KERNEL=="sd[a-z]", SUBSYSTEM=="block", PROGRAM="/lib/udev/scsi_id --whitelisted --replace-whitespace /dev/$name", RESULT=="%s", SYMLINK+="%s"\n' "$id" "$LUN" >> "$rule"
  udevadm control --reload
  udevadm trigger --subsystem-match=block --action=add
  udevadm settle
  [ -e "/dev/$LUN" ] || { echo "labkit: /dev/$LUN did not appear" >&2; exit 1; }
}
