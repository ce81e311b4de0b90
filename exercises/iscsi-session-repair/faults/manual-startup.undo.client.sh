set -eu
iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n node.startup -v automatic
