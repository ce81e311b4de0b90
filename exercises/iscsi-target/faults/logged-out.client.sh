# The client logged out (or never logged in this boot): no session, no disk.
# labkit-fails: session
set -eu
iscsiadm -m node --targetname "$IQN" -p "$SERVER" --logout >/dev/null
udevadm settle
