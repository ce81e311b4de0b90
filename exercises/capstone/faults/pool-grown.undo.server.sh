set -eu
# a pool never shrinks: another thin volume makes the pool over-provisioned again
lvcreate -q -y -T -V 512M -n labkit-extra "$VG/pool" 2>/dev/null
