# unshare without --net: the container shares the host's network interfaces.
# labkit-fails: net-namespace
set -eu
# labkit-include: container.sh
CG="/sys/fs/cgroup/$CGROUP"
echo 1 > "$CG/cgroup.kill"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CG/cgroup.procs" ] || break; sleep 0.5; done
container_start --no-net
echo "$PID" > "$CG/cgroup.procs"
