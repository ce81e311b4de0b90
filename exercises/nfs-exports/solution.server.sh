# Solution of nfs-exports, server side: an NFSv4 pseudo-root /srv/nfs (fsid=0) with the
# student's two folders bound into it (mount --bind, also in /etc/fstab), exported to the
# student's client network.
set -eu
command -v exportfs >/dev/null || { echo "labkit: install nfs-kernel-server first" >&2; exit 3; }
for d in "$SHARE" "$RO"; do umount "/srv/nfs/$d" 2>/dev/null || true; done
sed -i "\\#^/srv/\\($SHARE\\|$RO\\)[[:space:]]#d" /etc/fstab
mkdir -p "/srv/$SHARE" "/srv/$RO" "/srv/nfs/$SHARE" "/srv/nfs/$RO"
chmod 1777 "/srv/$SHARE" "/srv/$RO"      # anyone may write: only the export protects the ro one
echo "Read me" > "/srv/$RO/README"
echo "/srv/$SHARE /srv/nfs/$SHARE none bind 0 0" >> /etc/fstab
echo "/srv/$RO /srv/nfs/$RO none bind 0 0" >> /etc/fstab
mount "/srv/nfs/$SHARE"
mount "/srv/nfs/$RO"
cat > /etc/exports <<EOT
# NFSv4 pseudo-root: clients mount server:/$SHARE; NFSv3 clients server:/srv/nfs/$SHARE
/srv/nfs        $NETWORK(ro,sync,fsid=0,no_subtree_check)
/srv/nfs/$SHARE  $NETWORK(rw,sync,root_squash,no_subtree_check)
/srv/nfs/$RO     $NETWORK(ro,sync,all_squash,no_subtree_check)
EOT
systemctl enable -q --now nfs-server
exportfs -ra
