# The udev rule was removed while "cleaning up": the disk is back as /dev/sdX, not /dev/$LUN.
# labkit-fails: disk-back
set -eu
mv /etc/udev/rules.d/20-persistent-iscsi.rules /root/labkit-fault-20-persistent-iscsi.rules
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
[ ! -e "/dev/$LUN" ]
