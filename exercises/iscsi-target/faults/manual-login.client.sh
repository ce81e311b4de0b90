# The client logged in by hand but its node record will not log in at boot.
# labkit-fails: login-at-boot
set -eu
iscsiadm -m node --targetname "$IQN" -p "$SERVER" -o update -n node.startup -v manual
