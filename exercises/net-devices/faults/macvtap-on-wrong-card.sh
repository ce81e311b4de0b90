# macvtap1 was attached to the management card eth0 instead of the lab card.
# labkit-fails: macvtap-private
set -eu
ip link del macvtap1
ip link add link eth0 name macvtap1 type macvtap mode private
