# cpu.max was left at its default, "max 100000": the group may use every CPU.
# labkit-fails: cpu-limit
set -eu
echo max > "/sys/fs/cgroup/$CGROUP/cpu.max"
