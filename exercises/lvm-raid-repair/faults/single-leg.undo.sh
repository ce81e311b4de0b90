set -eu
lvconvert -q -y --type raid1 -m 1 "$VG/$LV"
for i in $(seq 1 120); do  # until the new copy is in sync
  set -- $(lvs --noheadings -o sync_percent,raid_sync_action "$VG/$LV" 2>/dev/null)
  [ "${1:-}" = 100.00 ] && [ "${2:-}" = idle ] && break
  sleep 1
done
