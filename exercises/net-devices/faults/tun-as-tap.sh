# "ip tuntap add TUN mode tap": the name says tun, the device is a layer-2 TAP.
# labkit-fails: tun-device
set -eu
ip tuntap del "$TUN" mode tun
ip tuntap add "$TUN" mode tap
