# The second LUN was added after the last saveconfig: it is gone after a reboot.
# labkit-fails: target-saved
set -eu
cp /etc/rtslib-fb-target/saveconfig.json /root/saveconfig.labkit-fault
targetcli "/iscsi/$IQN/tpg1/luns" delete lun1 >/dev/null
targetcli saveconfig >/dev/null
targetcli "/iscsi/$IQN/tpg1/luns" create /backstores/block/vm2 >/dev/null
