# The container has its own UTS namespace but its hostname was never changed: it still
# answers with the host's name.
# labkit-fails: uts-namespace
set -eu
CG="/sys/fs/cgroup/$CGROUP"
PID=$(head -n 1 "$CG/cgroup.procs")
nsenter --target "$PID" --uts hostname "$(uname -n)"
