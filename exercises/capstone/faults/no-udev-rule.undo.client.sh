set -eu
mv /root/labkit-fault-iscsi.rules /etc/udev/rules.d/20-persistent-iscsi.rules
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ -e "/dev/$LUN" ]
