# Solution of nfs-exports, server side: an NFSv4 pseudo-root /srv/nfs (fsid=0) with two
# folders bound into it (mount --bind, also in /etc/fstab), exported to the lab network.
set -eu
command -v exportfs >/dev/null || { echo "labkit: install nfs-kernel-server first" >&2; exit 3; }
for d in share ro; do umount "/srv/nfs/$d" 2>/dev/null || true; done
sed -i '\#^/srv/\(share\|ro\)[[:space:]]#d' /etc/fstab
mkdir -p /srv/share /srv/ro /srv/nfs/share /srv/nfs/ro
chmod 1777 /srv/share /srv/ro            # anyone may write: only the export protects /srv/ro
echo "Read me" > /srv/ro/README
echo "/srv/share /srv/nfs/share none bind 0 0" >> /etc/fstab
echo "/srv/ro /srv/nfs/ro none bind 0 0" >> /etc/fstab
mount /srv/nfs/share
mount /srv/nfs/ro
cat > /etc/exports <<EOT
# NFSv4 pseudo-root: clients mount server:/share; NFSv3 clients server:/srv/nfs/share
/srv/nfs        $NETWORK(ro,sync,fsid=0,no_subtree_check)
/srv/nfs/share  $NETWORK(rw,sync,root_squash,no_subtree_check)
/srv/nfs/ro     $NETWORK(ro,sync,all_squash,no_subtree_check)
EOT
systemctl enable -q --now nfs-server
exportfs -ra
