# The container was started but its group was never made (or was removed): no limits at all.
# labkit-fails: cgroup-exists
set -eu
CG="/sys/fs/cgroup/$CGROUP"
for pid in $(cat "$CG/cgroup.procs"); do
    echo "$pid" > /sys/fs/cgroup/cgroup.procs
done
rmdir "$CG"
