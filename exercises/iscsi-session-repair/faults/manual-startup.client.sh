# Logged in by hand, but the next restart drops the disk again.
# labkit-fails: login-at-boot
set -eu
iscsiadm -m node -T "$IQN" -p "$SERVER" -o update -n node.startup -v manual
