set -eu
iscsiadm -m node -T "$IQN" -p "$SERVER" --login >/dev/null
udevadm settle
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "/dev/$LUN" ] && break; sleep 1; udevadm settle; done
