set -eu
vgreduce -q --removemissing "$VG" 2>/dev/null
rm -f /root/labkit-fault-pv.img
