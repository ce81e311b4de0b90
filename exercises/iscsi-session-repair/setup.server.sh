# Drill iscsi-session-repair, server side (the starting state): a LIO target with one file
# LUN for the client, CHAP required. The storage admin has just changed the CHAP secret to
# $CHAP_PASSWORD; the target's configuration is saved and restored at boot.
set -eu
command -v targetcli >/dev/null || { echo "labkit: install targetcli-fb first" >&2; exit 3; }
mkdir -p /srv/iscsi-drill
rm -f "/srv/iscsi-drill/$LUN.img"
acl="/iscsi/$IQN/tpg1/acls/$INITIATOR"
# one targetcli session (each start costs seconds); leaving it saves the configuration
targetcli >/dev/null <<EOT
/iscsi delete $IQN
/backstores/fileio delete $LUN
/backstores/fileio create $LUN /srv/iscsi-drill/$LUN.img $SIZE
/iscsi create $IQN
/iscsi/$IQN/tpg1/luns create /backstores/fileio/$LUN
/iscsi/$IQN/tpg1/acls create $INITIATOR
$acl set auth userid=$CHAP_USER password=$CHAP_PASSWORD
/iscsi/$IQN/tpg1 set attribute authentication=1
saveconfig
exit
EOT
targetcli "/iscsi/$IQN/tpg1/luns" ls >/dev/null   # the target is there
systemctl enable -q rtslib-fb-targetctl
