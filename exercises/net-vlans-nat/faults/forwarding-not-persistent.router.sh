# ip_forward was set with sysctl -w only: it is lost on the next reboot.
# labkit-fails: router-forwarding-boot
set -eu
rm -f /etc/sysctl.d/60-forward.conf
