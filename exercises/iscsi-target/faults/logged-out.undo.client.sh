set -eu
iscsiadm -m node --targetname "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
