set -eu
cd "/mnt/$SHARE"
rm -f "$CLONE.qcow2"
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$CLONE.qcow2"
