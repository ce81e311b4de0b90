# Solution of nfs-exports, client side: the share with NFSv4 (path inside the pseudo-root),
# the read-only folder with NFSv3 (full path); both also in /etc/fstab.
set -eu
for m in "/mnt/$SHARE" "/mnt/$RO"; do umount "$m" 2>/dev/null || true; done
sed -i "\\#[[:space:]]/mnt/\\($SHARE\\|$RO\\)[[:space:]]#d" /etc/fstab
mkdir -p "/mnt/$SHARE" "/mnt/$RO"
echo "$SERVER:/$SHARE /mnt/$SHARE nfs4 defaults,_netdev 0 0" >> /etc/fstab
echo "$SERVER:/srv/nfs/$RO /mnt/$RO nfs vers=3,_netdev 0 0" >> /etc/fstab
mount "/mnt/$SHARE"
mount "/mnt/$RO"
