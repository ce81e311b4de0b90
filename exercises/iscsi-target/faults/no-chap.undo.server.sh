set -eu
targetcli "/iscsi/$IQN/tpg1/acls/$INITIATOR" set auth userid="$CHAP_USER" password="$CHAP_PASSWORD" >/dev/null
