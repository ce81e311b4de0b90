set -eu
echo "$SERVER:/share /mnt/share nfs4 defaults,_netdev 0 0" >> /etc/fstab
