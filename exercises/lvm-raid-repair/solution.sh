# Solution of lvm-raid-repair: rebuild the lost copy on the spare PV (lvconvert --repair takes
# free extents of the VG), wait until it is in sync, then remove the vanished PV from the VG.
# All of it online: /srv/$LV stays mounted.
set -eu
lvs -a -o name,attr,devices,sync_percent,lv_health_status "$VG" 2>/dev/null
lvconvert -q -y --repair "$VG/$LV"
for i in $(seq 1 120); do  # until the new copy is in sync
  set -- $(lvs --noheadings -o sync_percent,raid_sync_action "$VG/$LV" 2>/dev/null)
  [ "${1:-}" = 100.00 ] && [ "${2:-}" = idle ] && break
  sleep 1
done
vgreduce -q --removemissing "$VG"
lvs -a -o name,attr,devices,sync_percent,lv_health_status "$VG"
