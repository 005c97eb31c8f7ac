#!/usr/bin/env bash
# Idle wake-ups of gomoku-httpd (goal: 0/s) and how long an idle daemon takes
# to exit on SIGTERM.
#   bench/idle_wakeups.sh [SECONDS]   (default 10 s per scenario)
# Wake-ups = voluntary + involuntary context switches of all threads
# (/proc/PID/task/*/status), which count every time a thread ran.
source "$(dirname "$0")/httpd_common.sh"
secs=${1:-10}
machine

port=$(free_port)
agent=$(free_port)
start_httpd "$port" -t "$(nproc)" -a "$agent" -L warn
sleep 0.5

measure() {
    local a b
    a=$(ctxt "$httpd_pid")
    sleep "$secs"
    b=$(ctxt "$httpd_pid")
    awk -v n=$((b - a)) -v s="$secs" -v what="$1" \
        'BEGIN { printf "%-40s %6d switches in %d s = %.2f wake-ups/s\n", what, n, s, n / s }'
}

measure "no connection"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.1\r\nHost: bench\r\n\r\n' >&3
sleep 0.2
measure "idle keep-alive connection"
exec 4<>"/dev/tcp/127.0.0.1/$port"
measure "plus a connection that sent nothing"
exec 3>&- 4>&-
stop_httpd

echo
echo "idle shutdown latency (SIGTERM to exit), 5 runs:"
for i in 1 2 3 4 5; do
    port=$(free_port)
    start_httpd "$port" -t "$(nproc)" -L warn
    sleep 0.3
    t0=$(date +%s%N)
    kill -TERM "$httpd_pid"
    wait "$httpd_pid" && rc=0 || rc=$?
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v rc=$rc 'BEGIN { printf "  %.2f ms (exit %d)\n", ns / 1e6, rc }'
done
