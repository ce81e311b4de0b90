# The volume was rebuilt by hand (a new filesystem, a file written again): the data is gone.
# labkit-fails: data-intact
set -eu
cp "/srv/$LV/LEEME.txt" /root/labkit-fault-leeme.txt
echo "novo" > "/srv/$LV/LEEME.txt"
