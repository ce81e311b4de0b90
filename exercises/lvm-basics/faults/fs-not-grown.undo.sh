set -eu
resize2fs "/dev/$VG/webserver" >/dev/null 2>&1
