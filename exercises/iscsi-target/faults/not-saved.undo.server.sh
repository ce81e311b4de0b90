set -eu
targetcli saveconfig >/dev/null
rm -f /root/saveconfig.labkit-fault
