# The hand-made container of intro-container, shared by its scripts (a script takes it in with
# a line "# labkit-include: container.sh").

# container_start [--no-net]: start the container in the background: new PID, UTS, network
# and mount namespaces (with --no-net, no network namespace: it shares the host's interfaces),
# hostname $CONTAINER_HOSTNAME, a long-lived process inside (sleep infinity).
# Reads CONTAINER_HOSTNAME; sets UNSHARE (the unshare process) and PID (the container's first
# process, the unshare's child), waiting up to 10 s for it; exit 1 if it does not start.
container_start() {
  net=--net
  [ "${1:-}" != --no-net ] || net=
  nohup unshare --pid --fork --mount-proc --uts $net \
      sh -c "hostname $CONTAINER_HOSTNAME; exec sleep infinity" </dev/null >/dev/null 2>&1 &
  UNSHARE=$!
  PID=""
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      PID=$(pgrep -P "$UNSHARE" || true)
      [ -n "$PID" ] && break
      sleep 0.5
  done
  [ -n "$PID" ] || { echo "the container process did not start" >&2; exit 1; }
}
