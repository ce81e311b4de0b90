set -eu
echo "/srv/$SHARE /srv/nfs/$SHARE none bind 0 0" >> /etc/fstab
