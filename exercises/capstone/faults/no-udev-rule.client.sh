# Without the udev rule the LUN is only /dev/sdX, whatever letter it got.
# labkit-fails: disk-name
set -eu
mv /etc/udev/rules.d/20-persistent-iscsi.rules /root/labkit-fault-iscsi.rules
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ ! -e "/dev/$LUN" ]
