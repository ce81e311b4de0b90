# unshare without --pid (and so without --fork --mount-proc): the "container" sees, and can
# signal, every process of the host.
# labkit-fails: pid-namespace
set -eu
CG="/sys/fs/cgroup/$CGROUP"
echo 1 > "$CG/cgroup.kill"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CG/cgroup.procs" ] || break; sleep 0.5; done
nohup unshare --uts --net sh -c "hostname $CONTAINER_HOSTNAME; exec sleep infinity" \
    </dev/null >/dev/null 2>&1 &
PID=$!
sleep 1
echo "$PID" > "$CG/cgroup.procs"
