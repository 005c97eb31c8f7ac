#!/usr/bin/env bash
# swarm_bench.sh: what the HAProxy hop costs and how the swarm scales.
#
# For each search budget, the same client load (gomoku-http-client, GAMES
# games at CONCURRENCY, human vs AI, one search per request) is sent
#   direct-1x1  straight to one instance with 1 search thread
#   lb-1x1      to the same instance through HAProxy
#   lb-2x1      through HAProxy to 2 instances with 1 thread each
#   direct-1x2  straight to one instance with 2 threads (same cores as lb-2x1)
# and AI moves per second (= searches answered per second) are read from the
# client's JSON summary. Then:
#   hop overhead   = 1 - lb-1x1 / direct-1x1 (throughput), and the p50
#                    latency difference of a depth-1 search at concurrency 1
#                    (where the hop is all there is to see)
#   scaling factor = lb-2x1 / lb-1x1
# Not a test: numbers depend on the machine and on what else runs on it.
#
# usage: bench/swarm_bench.sh [--bin-dir DIR] [--budgets "20 50 100"]
#                             [--seconds S] [--concurrency C] [--out FILE]
# Binaries come from --bin-dir (default $GOMOKU_BIN_DIR or <repo>/bin). Every
# process is started through deploy/gomoku-swarm in a temporary run dir and
# stopped at the end, even on failure or Ctrl-C. Traffic stays on 127.0.0.1.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
swarm="$repo/deploy/gomoku-swarm"
bin_dir=${GOMOKU_BIN_DIR:-$repo/bin}
budgets="20 50 100"
seconds=5 # rough length of one measurement with 2 threads
concurrency=4
out=
base_port=${BENCH_BASE_PORT:-29100}

while (($#)); do
    case $1 in
    --bin-dir) bin_dir=$2 ;;
    --budgets) budgets=$2 ;;
    --seconds) seconds=$2 ;;
    --concurrency) concurrency=$2 ;;
    --out) out=$2 ;;
    -h | --help)
        sed -n '2,25p' "$0"
        exit 0
        ;;
    *)
        echo "swarm_bench.sh: unknown option $1" >&2
        exit 2
        ;;
    esac
    shift 2
done
bin_dir=$(cd "$bin_dir" && pwd)
client="$bin_dir/gomoku-http-client"
[[ -x $client && -x $bin_dir/gomoku-httpd ]] || {
    echo "swarm_bench.sh: build gomoku-httpd and gomoku-http-client first ($bin_dir)" >&2
    exit 2
}

work=$(mktemp -d "${TMPDIR:-/tmp}/swarm-bench.XXXXXX")
cleanup() {
    # Only swarms of this run that are still up (stop removes swarm.state).
    local d
    for d in "$work"/*/; do
        [[ -f $d/swarm.state ]] || continue
        "$swarm" stop --run-dir "$d" --timeout 10 >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# up NAME N THREADS: starts a swarm; its LB port is base, instance i is
# base + i, stats base + 9.
up() {
    local n=$2 threads=$3 dir="$work/$1"
    mkdir -p "$dir"
    "$swarm" start "$n" --run-dir "$dir" --bin-dir "$bin_dir" --threads "$threads" \
        --lb-port "$base_port" --base-port $((base_port + 1)) --stats-port $((base_port + 9)) \
        --agent-offset 50 --max-time-ms 2000 >"$dir/start.txt"
}
down() { "$swarm" stop --run-dir "$work/$1" >/dev/null; }

# measure LABEL PORT GAMES BUDGET [client options]: one client run; prints
# "requests/s p50 p99 errors" (from the JSON summary).
measure() {
    local label=$1 port=$2 games=$3 budget=$4
    shift 4
    local summary="$work/$label-$budget.json"
    # nice: the client's own CPU should not be what is measured against.
    timeout 600 nice -n 5 "$client" -p "$port" -g "$games" -c "$concurrency" \
        --time-ms "$budget" --seed 7 -q --no-progress --json-summary "$summary" "$@" \
        >"$work/$label-$budget.txt" 2>&1 || {
        echo "swarm_bench.sh: client failed for $label at $budget ms:" >&2
        tail -5 "$work/$label-$budget.txt" >&2
        return 1
    }
    python3 - "$summary" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print("%.1f %.2f %.2f %d" % (s["throughput"]["requests_per_s"], s["latency_ms"]["p50"],
                             s["latency_ms"]["p99"], s["errors"]))
EOF
}

ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print('%.3f' % (a / b if b else 0))" "$@"; }

lb=$base_port
inst1=$((base_port + 1))
report=()
line() { report+=("$*"); }

line "# swarm_bench $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
line "# budgets: $budgets ms; concurrency $concurrency; about ${seconds}s per 2-thread run"
line ""
line "| budget ms | setup | AI moves/s | moves/s per search thread | p50 ms | p99 ms | errors |"
line "|---|---|---|---|---|---|---|"

declare -A rate
for budget in $budgets; do
    # Games per run: ~20 AI moves a game against the simulated human, sized
    # so that a 2-thread setup runs about $seconds s.
    games=$((seconds * 2 * 1000 / (budget * 20)))
    ((games >= 4)) || games=4

    up one 1 1
    r=$(measure direct-1x1 "$inst1" "$games" "$budget")
    rate["direct-1x1-$budget"]=${r%% *}
    line "| $budget | direct-1x1 | $(awk '{print $1 " | " $1 " | " $2 " | " $3 " | " $4}' <<<"$r") |"
    r=$(measure lb-1x1 "$lb" "$games" "$budget")
    rate["lb-1x1-$budget"]=${r%% *}
    line "| $budget | lb-1x1 | $(awk '{print $1 " | " $1 " | " $2 " | " $3 " | " $4}' <<<"$r") |"
    down one

    up two 2 1
    r=$(measure lb-2x1 "$lb" "$games" "$budget")
    rate["lb-2x1-$budget"]=${r%% *}
    line "| $budget | lb-2x1 | $(awk '{print $1 " | " $1 / 2 " | " $2 " | " $3 " | " $4}' <<<"$r") |"
    down two

    up wide 1 2
    r=$(measure direct-1x2 "$inst1" "$games" "$budget")
    rate["direct-1x2-$budget"]=${r%% *}
    line "| $budget | direct-1x2 | $(awk '{print $1 " | " $1 / 2 " | " $2 " | " $3 " | " $4}' <<<"$r") |"
    down wide
done

line ""
line "| budget ms | hop overhead (1 - lb-1x1 / direct-1x1) | scaling lb-2x1 / lb-1x1 | lb-2x1 / direct-1x2 |"
line "|---|---|---|---|"
for budget in $budgets; do
    d=${rate["direct-1x1-$budget"]}
    l1=${rate["lb-1x1-$budget"]}
    l2=${rate["lb-2x1-$budget"]}
    w=${rate["direct-1x2-$budget"]}
    over=$(python3 -c "import sys; d, l = map(float, sys.argv[1:]); print('%+.1f %%' % (100 * (1 - l / d)))" "$d" "$l1")
    line "| $budget | $over | $(ratio "$l2" "$l1") | $(ratio "$l2" "$w") |"
done

# The hop itself: depth-1 searches (well under a millisecond), one request
# at a time, so latency is request handling + (for lb) the extra hop.
up one 1 1
concurrency=1
hop_d=$(measure hop-direct "$inst1" 20 1000 -d 1)
hop_l=$(measure hop-lb "$lb" 20 1000 -d 1)
down one
read -r _ pd _ _ <<<"$hop_d"
read -r _ pl _ _ <<<"$hop_l"
line ""
line "hop latency at depth 1, concurrency 1: p50 direct ${pd} ms, through HAProxy ${pl} ms" \
    "(+$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$pd" "$pl") ms)"

printf '%s\n' "${report[@]}"
[[ -z $out ]] || printf '%s\n' "${report[@]}" >"$out"
echo "# raw client output and summaries: $work" >&2
