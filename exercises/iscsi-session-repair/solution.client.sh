# Solution of iscsi-session-repair (client): the login fails with an authorization error, so
# the node record gets the new CHAP secret; log in again (udev names the disk /dev/$LUN again)
# and make the node log in at boot.
set -eu
# labkit-include: iscsi.sh
iscsi_chap
iscsi_node node.startup automatic
iscsi_login
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "/dev/$LUN" ] && break; sleep 1; udevadm settle; done
[ -e "/dev/$LUN" ] || { echo "labkit: /dev/$LUN did not come back" >&2; exit 1; }
