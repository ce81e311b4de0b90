set -eu
mv /root/20-persistent-iscsi.rules.labkit-fault /etc/udev/rules.d/20-persistent-iscsi.rules
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
