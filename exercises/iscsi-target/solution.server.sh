# Solution of iscsi-target, server side: two backstores (a file and an LVM volume) shared as
# LUNs of one target, for one initiator with CHAP; saved, and restored at boot (the
# student's target name, CHAP user and secret, and LUN size).
set -eu
command -v targetcli >/dev/null || { echo "labkit: install targetcli-fb first" >&2; exit 3; }
[ -b "$DISK" ] || { echo "labkit: $DISK is not a disk: run this on a lab VM" >&2; exit 3; }
targetcli clearconfig confirm=True >/dev/null
rm -f /srv/iscsi/vm1.img
vgremove -qq -ff -y "$VG" >/dev/null 2>&1 || true
pvremove -qq -ff -y "$DISK" >/dev/null 2>&1 || true
wipefs -qa "$DISK"
vgcreate -q "$VG" "$DISK"
lvcreate -q -y -n vm2 -L 48M "$VG"
mkdir -p /srv/iscsi
targetcli /backstores/fileio create vm1 /srv/iscsi/vm1.img "${LUN_SIZE}M" >/dev/null
targetcli /backstores/block create vm2 "/dev/$VG/vm2" >/dev/null
targetcli /iscsi create "$IQN" >/dev/null
targetcli "/iscsi/$IQN/tpg1/luns" create /backstores/fileio/vm1 >/dev/null
targetcli "/iscsi/$IQN/tpg1/luns" create /backstores/block/vm2 >/dev/null
targetcli "/iscsi/$IQN/tpg1/acls" create "$INITIATOR" >/dev/null
targetcli "/iscsi/$IQN/tpg1/acls/$INITIATOR" set auth userid="$CHAP_USER" password="$CHAP_PASSWORD" >/dev/null
targetcli "/iscsi/$IQN/tpg1" set attribute authentication=1 >/dev/null   # CHAP required
targetcli saveconfig >/dev/null
systemctl enable -q rtslib-fb-targetctl
