# Solution of nfs-exports, client side: the share with NFSv4 (path inside the pseudo-root),
# the read-only folder with NFSv3 (full path); both also in /etc/fstab.
set -eu
for m in /mnt/share /mnt/ro; do umount "$m" 2>/dev/null || true; done
sed -i '\#[[:space:]]/mnt/\(share\|ro\)[[:space:]]#d' /etc/fstab
mkdir -p /mnt/share /mnt/ro
echo "$SERVER:/share /mnt/share nfs4 defaults,_netdev 0 0" >> /etc/fstab
echo "$SERVER:/srv/nfs/ro /mnt/ro nfs vers=3,_netdev 0 0" >> /etc/fstab
mount /mnt/share
mount /mnt/ro
