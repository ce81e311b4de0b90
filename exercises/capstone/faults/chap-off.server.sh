# CHAP was taken off the client's ACL (and saved so).
# labkit-fails: target target-saved
set -eu
targetcli >/dev/null <<EOT
/iscsi/$IQN/tpg1/acls/$INITIATOR set auth userid=
/iscsi/$IQN/tpg1/acls/$INITIATOR set auth password=
saveconfig
exit
EOT
