# macvtap1 was attached to the management card eth0 instead of the lab card.
# labkit-fails: macvtap-private
set -eu
ip link del "$MV_PRIVATE"
ip link add link eth0 name "$MV_PRIVATE" type macvtap mode private
