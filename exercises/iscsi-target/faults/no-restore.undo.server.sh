set -eu
systemctl enable -q rtslib-fb-targetctl
