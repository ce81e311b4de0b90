# The group was made but memory.max was never written: it still says "max" (no limit).
# labkit-fails: memory-limit
set -eu
echo max > "/sys/fs/cgroup/$CGROUP/memory.max"
