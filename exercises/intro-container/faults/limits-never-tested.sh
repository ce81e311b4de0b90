# The group and its limits were set, but nothing ever ran into them: no process was killed
# for memory and none was throttled (the limits were never seen working).
# labkit-fails: memory-enforced cpu-enforced
set -eu
# labkit-include: container.sh
CG="/sys/fs/cgroup/$CGROUP"
echo 1 > "$CG/cgroup.kill"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CG/cgroup.procs" ] || break; sleep 0.5; done
rmdir "$CG"
container_start
mkdir "$CG"
echo "${MEMORY}M" > "$CG/memory.max"
[ ! -f "$CG/memory.swap.max" ] || echo 0 > "$CG/memory.swap.max"
echo "$QUOTA 100000" > "$CG/cpu.max"
echo "$PID" > "$CG/cgroup.procs"
