# "ip tuntap add tap0 mode tun": the name says tap, the device is a layer-3 TUN.
# labkit-fails: tap-device
set -eu
ip tuntap del tap0 mode tap
ip tuntap add tap0 mode tun
