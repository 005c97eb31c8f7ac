# Shared helpers of the gomoku-httpd benchmark scripts (sourced, not run).
# GOMOKU_BIN_DIR picks the binaries (default: bin/ at the top of the tree).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=${GOMOKU_BIN_DIR:-$top/bin}
httpd=$bin_dir/gomoku-httpd
[[ -x $httpd ]] || { echo "no $httpd: build first (make build)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gomoku-bench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_httpd PORT ARGS...: starts the daemon niced, waits for /health.
start_httpd() {
    local port=$1; shift
    nice -n "${BENCH_NICE:-5}" "$httpd" -b "127.0.0.1:$port" "$@" 2>>"$work/httpd.log" &
    httpd_pid=$!
    pids+=("$httpd_pid")
    for _ in $(seq 200); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/health" && return 0
        sleep 0.05
    done
    echo "gomoku-httpd did not start; log:" >&2
    cat "$work/httpd.log" >&2
    exit 1
}

# stop_httpd: SIGTERM and wait.
stop_httpd() {
    kill -TERM "$httpd_pid"
    wait "$httpd_pid" || true
}

# ctxt PID: voluntary + involuntary context switches of all its threads.
ctxt() {
    cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'
}

# record BUDGET_MS: an opening position with O (AI) to move.
record() {
    printf '{"X":{"player":"human"},"O":{"player":"AI","max_time_ms":%d},"board_size":15,"moves":[{"X (human)":[7,7]}]}' "$1"
}

machine() {
    echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
         "load average $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)"
}
