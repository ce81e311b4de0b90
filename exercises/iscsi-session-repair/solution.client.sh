# Solution of iscsi-session-repair (client): the login fails with an authorization error, so
# the node record gets the new CHAP secret; log in again (udev names the disk /dev/$LUN again)
# and make the node log in at boot.
set -eu
node() { iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n "$1" -v "$2"; }
node node.session.auth.authmethod CHAP
node node.session.auth.username "$CHAP_USER"
node node.session.auth.password "$CHAP_PASSWORD"
node node.startup automatic
iscsiadm -m node -T "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "/dev/$LUN" ] && break; sleep 1; udevadm settle; done
[ -e "/dev/$LUN" ] || { echo "labkit: /dev/$LUN did not come back" >&2; exit 1; }
