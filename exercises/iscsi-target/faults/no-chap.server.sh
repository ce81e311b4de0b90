# The client's ACL has no CHAP user or password (cleared with targetcli, which LIO shows as
# NULL): the target is open to anyone who claims the client's iqn.
# labkit-fails: target-now
set -eu
acl="/iscsi/$IQN/tpg1/acls/$INITIATOR"
targetcli "$acl" set auth userid= >/dev/null
targetcli "$acl" set auth password= >/dev/null
