# The "repair" was done on the server: CHAP taken off the client's ACL.
# labkit-fails: target-chap
set -eu
targetcli >/dev/null <<EOT
/iscsi/$IQN/tpg1/acls/$INITIATOR set auth userid=
/iscsi/$IQN/tpg1/acls/$INITIATOR set auth password=
exit
EOT
