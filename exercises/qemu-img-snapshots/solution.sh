# Solution of qemu-img-snapshots. qemu-io stands in for a VM writing 4 MiB to its disk.
set -eu
mkdir -p "$WORKDIR"
cd "$WORKDIR"
rm -f base.qcow2 snapdisk.qcow2 disk.qcow2 neworixe.qcow2
qemu-img create -q -f qcow2 base.qcow2 100M
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 snapdisk.qcow2
qemu-io -f qcow2 -c 'write -q -P 0x5a 0 4M' snapdisk.qcow2
qemu-img convert -f qcow2 -O qcow2 snapdisk.qcow2 disk.qcow2
qemu-img commit -q snapdisk.qcow2
qemu-img convert -f qcow2 -O qcow2 base.qcow2 neworixe.qcow2
qemu-img rebase -f qcow2 -b neworixe.qcow2 -F qcow2 snapdisk.qcow2
