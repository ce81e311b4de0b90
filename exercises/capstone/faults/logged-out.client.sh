# The client logged out of the target: no session, no /dev/$LUN.
# labkit-fails: session
set -eu
iscsiadm -m node -T "$IQN" -p "$SERVER" -u >/dev/null
udevadm settle
