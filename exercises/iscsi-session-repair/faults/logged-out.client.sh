# The node record was fixed but nobody logged in again: no session, no disk.
# labkit-fails: session-up
set -eu
iscsiadm -m node -T "$IQN" -p "$SERVER" -u >/dev/null
udevadm settle
