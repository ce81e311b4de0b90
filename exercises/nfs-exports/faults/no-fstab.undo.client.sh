set -eu
echo "$SERVER:/$SHARE /mnt/$SHARE nfs4 defaults,_netdev 0 0" >> /etc/fstab
