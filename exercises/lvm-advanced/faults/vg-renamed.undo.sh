set -eu
vgrename -q "${VG}_other" "$VG"
