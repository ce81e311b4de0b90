# /etc/exports is right but the share is not exported now (exportfs -a not run after a change).
# labkit-fails: share-now root-squashed
set -eu
exportfs -u "$NETWORK:/srv/nfs/$SHARE"
