set -eu
mv /root/labkit-fault-leeme.txt "/srv/$LV/LEEME.txt"
