# The template was converted to raw: it is no qcow2 image, and the clone's backing file is
# not the qcow2 it names.
# labkit-fails: template clone
set -eu
cd "/mnt/$SHARE"
qemu-img convert -f qcow2 -O raw base.qcow2 base.raw
mv base.qcow2 /root/labkit-fault-base.qcow2 2>/dev/null || cp base.qcow2 /root/labkit-fault-base.qcow2
mv base.raw base.qcow2
