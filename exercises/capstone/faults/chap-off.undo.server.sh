set -eu
targetcli >/dev/null <<EOT
/iscsi/$IQN/tpg1/acls/$INITIATOR set auth userid=$CHAP_USER password=$CHAP_PASSWORD
saveconfig
exit
EOT
