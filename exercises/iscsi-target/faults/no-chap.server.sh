# The client's ACL has no CHAP user: anyone claiming the client's iqn gets in.
# labkit-fails: target-now
set -eu
targetcli "/iscsi/$IQN/tpg1/acls/$INITIATOR" set auth userid= password= >/dev/null 2>&1 || \
  targetcli "/iscsi/$IQN/tpg1/acls/$INITIATOR" set auth userid="" password="" >/dev/null
