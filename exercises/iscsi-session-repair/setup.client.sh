# Drill iscsi-session-repair, client side (the starting state): the client used the LUN as
# /dev/$LUN (a udev rule on the disk's SCSI id), then it restarted: its node record still has
# the old CHAP secret and logs in by hand only, so the session is gone and so is /dev/$LUN.
set -eu
# labkit-include: iscsi.sh
command -v iscsiadm >/dev/null || { echo "labkit: install open-iscsi first" >&2; exit 3; }
iscsiadm -m node -T "$IQN" -u >/dev/null 2>&1 || true
iscsiadm -m node -T "$IQN" -o delete >/dev/null 2>&1 || true
iscsiadm -m discovery -o new -o update -t sendtargets -p "$SERVER" >/dev/null
iscsiadm -m node -T "$IQN" -p "$SERVER" -o delete >/dev/null 2>&1 || true
iscsiadm -m node -T "$IQN" -p "$SERVER" -o new >/dev/null
iscsi_chap
iscsi_login
size=$(numfmt --from=iec "${SIZE%B}")
iscsi_name_lun "$size" "the iSCSI disk"
# ... the restart: the session drops, and the node record keeps the old secret
iscsiadm -m node -T "$IQN" -p "$SERVER" -u >/dev/null
iscsi_node node.session.auth.password "$OLD_PASSWORD"
iscsi_node node.startup manual
udevadm settle
