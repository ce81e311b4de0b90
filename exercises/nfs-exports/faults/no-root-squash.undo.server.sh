set -eu
sed -i 's#no_root_squash#root_squash#' /etc/exports
exportfs -ra
