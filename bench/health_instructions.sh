#!/usr/bin/env bash
# User-space instructions per GET /health, counted by valgrind's callgrind:
# a figure that does not depend on what else runs on the machine (unlike
# req/s). The kernel's share (TCP, scheduling; most of the cost) is not
# counted.
#   bench/health_instructions.sh [SECONDS]        (default 4)
# Measures $GOMOKU_BIN_DIR's gomoku-httpd, and $GOMOKU_BASE_BIN_DIR's too
# when set. One keep-alive client (wrk -c1): the daemon is ~50x slower
# under callgrind, so more clients would only measure its polling of idle
# ones. Notes: valgrind counts each byte step of `rep stosb` (libc memset)
# as an instruction, which inflates memset; answers are served from a cache
# while identical, which happens less at callgrind's speed (~1.5k req/s)
# than at full speed.
# shellcheck source=bench/httpd_common.sh
source "$(dirname "$0")/httpd_common.sh"
secs=${1:-4}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
machine

health_count() {
    curl -s "http://127.0.0.1:$1/metrics" | awk '/route="health",code="200"/ { print $2 }'
}

measure() {
    local label=$1 binary=$2 port out pid n0 n1 total
    port=$(free_port)
    out=$work/callgrind.$RANDOM
    nice -n "${BENCH_NICE:-5}" valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
        --callgrind-out-file="$out.%p" \
        "$binary" -b "127.0.0.1:$port" -t 1 --hash-mb 4 -l "$work/$label.log" 2>>"$work/valgrind.log" &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
        sleep 0.1
    done
    nice -n "${BENCH_NICE:-5}" wrk -t1 -c1 -d1s "http://127.0.0.1:$port/health" >/dev/null
    callgrind_control -z "$pid" >/dev/null 2>&1
    n0=$(health_count "$port")
    nice -n "${BENCH_NICE:-5}" wrk -t1 -c1 -d"${secs}s" "http://127.0.0.1:$port/health" >/dev/null
    n1=$(health_count "$port")
    callgrind_control -d "$pid" >/dev/null 2>&1
    kill "$pid"
    wait "$pid" || true
    total=$(awk '/^summary:/ { print $2 }' "$out.$pid.1")
    # +1: the /metrics request that read n1 ran inside the window too.
    awk -v label="$label" -v t="$total" -v n=$((n1 - n0 + 1)) \
        'BEGIN { printf "%-6s %8d requests  %8.0f instructions per request\n", label, n, t / n }'
    top_functions "$out.$pid.1" $((n1 - n0 + 1))
}

# top_functions FILE N: the 8 functions with the most instructions of their
# own (callgrind's "self" cost), per request. callgrind_annotate charges
# everything to the threads' entry point here, so the file is read directly.
top_functions() {
    python3 - "$1" "$2" <<'PY'
import collections, sys
path, n = sys.argv[1], int(sys.argv[2])
cost = collections.Counter()
obj = fn = ""
inclusive_line = False
with open(path) as f:
    for line in f:
        if line.startswith("ob="):
            obj = line[3:].strip().split("/")[-1]
        elif line.startswith("fn="):
            fn = line[3:].strip().split(") ", 1)[-1] + " (" + obj + ")"
        elif line.startswith("calls="):
            inclusive_line = True  # the next cost line is a callee's, not fn's
        elif line[:1].isdigit() or line[:1] in "+-*":
            if inclusive_line:
                inclusive_line = False
            elif len(line.split()) >= 2:
                cost[fn] += int(line.split()[1])
for name, c in cost.most_common(8):
    print(f"         {c / n:8.0f}  {name}")
PY
}

measure new "$httpd"
if [[ -n ${GOMOKU_BASE_BIN_DIR:-} ]]; then
    measure base "$GOMOKU_BASE_BIN_DIR/gomoku-httpd"
fi
