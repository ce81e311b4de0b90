# Solution of lvm-thin-full: give the pool room for what was written (a pool never shrinks,
# but grows while the VG has free extents), let LVM grow it by itself next time, and make
# dmeventd watch it: automatic extension is done by dmeventd, only for monitored pools.
set -eu
lvs -o lv_name,lv_size,data_percent,metadata_percent,lv_health_status,seg_monitor "$VG"
lvextend -q -L 96M "$VG/$POOL"
set_lvm() {  # KEY VALUE in lvm.conf's activation section
  sed -i "/automatic default value/{n;s/^\([[:space:]]*\)#* *$1 = .*/\1$1 = $2/}" /etc/lvm/lvm.conf
}
set_lvm thin_pool_autoextend_threshold "$THRESHOLD"
set_lvm thin_pool_autoextend_percent "$PERCENT"
systemctl start dm-event.socket
lvchange -q --monitor y "$VG/$POOL"
lvs -o lv_name,lv_size,data_percent,lv_health_status,seg_monitor "$VG"
