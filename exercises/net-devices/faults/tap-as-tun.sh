# "ip tuntap add tap0 mode tun": the name says tap, the device is a layer-3 TUN.
# labkit-fails: tap-device
set -eu
ip tuntap del "$TAP" mode tap
ip tuntap add "$TAP" mode tun
