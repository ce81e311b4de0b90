# Nothing restores the saved configuration at boot.
# labkit-fails: restore-unit
set -eu
systemctl disable -q rtslib-fb-targetctl
