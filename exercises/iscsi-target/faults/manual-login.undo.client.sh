set -eu
iscsiadm -m node --targetname "$IQN" -p "$SERVER" -o update -n node.startup -v automatic
