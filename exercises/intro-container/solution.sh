# Solution of intro-container: a container made by hand with namespaces and a cgroup v2 group.
# It only runs where cgroup v2 is mounted alone on /sys/fs/cgroup (the sandbox Debian 12 VM).
set -eu
# labkit-include: container.sh
CG="/sys/fs/cgroup/$CGROUP"
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo "intro-container: this host has no cgroup v2 hierarchy on /sys/fs/cgroup" >&2
    exit 3
fi

# Start clean: stop a container left by an earlier run and remove its group.
if [ -d "$CG" ]; then
    echo 1 > "$CG/cgroup.kill" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CG/cgroup.procs" ] || break; sleep 0.5; done
    rmdir "$CG"
fi

# 1. The container: new PID, UTS, network and mount namespaces; a long-lived process inside
#    ($PID, its first process).
container_start

# 2. The cgroup: turn on the memory and cpu controllers for the root's children, make the
#    group, give it $MEMORY MiB of memory (and no swap) and put the container's process in it.
echo "+memory +cpu" > /sys/fs/cgroup/cgroup.subtree_control
mkdir "$CG"
echo "${MEMORY}M" > "$CG/memory.max"
[ ! -f "$CG/memory.swap.max" ] || echo 0 > "$CG/memory.swap.max"
echo "$PID" > "$CG/cgroup.procs"

# 3. The limit holds: a process of the group that wants twice as much is killed by the kernel
#    (memory.events counts it as oom_kill).
sh -c "echo \$\$ > '$CG/cgroup.procs'; exec python3 -c 'x = bytearray($((MEMORY * 2)) << 20)'" \
    >/dev/null 2>&1 || true

# 4. $PERCENT % of one CPU ($QUOTA microseconds in every 100000), and a busy loop that gets throttled
#    (cpu.stat: nr_throttled).
echo "$QUOTA 100000" > "$CG/cpu.max"
sh -c "echo \$\$ > '$CG/cgroup.procs'; exec timeout 1 sh -c 'while :; do :; done'" || true
