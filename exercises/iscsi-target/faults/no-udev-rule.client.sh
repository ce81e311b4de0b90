# No udev rule: the disk is only /dev/sdX, whatever letter it got this time.
# labkit-fails: persistent-name
set -eu
mv /etc/udev/rules.d/20-persistent-iscsi.rules /root/20-persistent-iscsi.rules.labkit-fault
udevadm control --reload
udevadm trigger --subsystem-match=block --action=add
udevadm settle
