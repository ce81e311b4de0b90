# unshare without --net: the container shares the host's network interfaces.
# labkit-fails: net-namespace
set -eu
CG="/sys/fs/cgroup/$CGROUP"
echo 1 > "$CG/cgroup.kill"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CG/cgroup.procs" ] || break; sleep 0.5; done
nohup unshare --pid --fork --mount-proc --uts \
    sh -c "hostname $CONTAINER_HOSTNAME; exec sleep infinity" </dev/null >/dev/null 2>&1 &
UNSHARE=$!
PID=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    PID=$(pgrep -P "$UNSHARE" || true)
    [ -n "$PID" ] && break
    sleep 0.5
done
echo "$PID" > "$CG/cgroup.procs"
