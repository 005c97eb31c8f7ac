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
#   hop overhead   = lb-1x1 / direct-1x1 (throughput), and the p50 latency
#                    difference of depth-1 searches at concurrency 1 (where
#                    the hop is all there is to see)
#   scaling factor = lb-2x1 / lb-1x1, in moves/s and in positions searched
#                    per second (knodes/s, from the daemons' /metrics)
# A search stops at its wall-clock deadline however much CPU it got, so
# moves/s per thread stays near 1000 / budget (more when the engine finds a
# forced move early) even on a loaded machine; what CPU contention takes away
# is depth, which knodes/s shows.
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
        sed -n '2,/^set -euo/p' "$0" | sed '$d'
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

# up NAME N THREADS: starts a swarm in its own run dir; its LB port is base,
# instance i is base + i, stats base + 9.
up() {
    local n=$2 threads=$3 dir="$work/$1"
    mkdir -p "$dir"
    "$swarm" start "$n" --run-dir "$dir" --bin-dir "$bin_dir" --threads "$threads" \
        --lb-port "$base_port" --base-port $((base_port + 1)) --stats-port $((base_port + 9)) \
        --agent-offset 50 --max-time-ms 2000 >"$dir/start.txt"
}
down() { "$swarm" stop --run-dir "$work/$1" >/dev/null; }

# nodes_sum N: positions searched so far by instances 1..N (their /metrics).
nodes_sum() {
    local i total=0 n
    for ((i = 1; i <= $1; i++)); do
        n=$(curl -s --max-time 5 "http://127.0.0.1:$((base_port + i))/metrics" |
            awk '$1 == "gomoku_search_nodes_total" { print $2 }')
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# measure LABEL PORT INSTANCES THREADS GAMES BUDGET [client options]: one
# client run against PORT; prints "moves/s moves/s-per-thread knodes/s p50
# p99 errors". Nodes come from the instances' /metrics before and after.
measure() {
    local label=$1 port=$2 n=$3 threads=$4 games=$5 budget=$6
    shift 6
    local summary="$work/$label-$budget.json" before after
    before=$(nodes_sum "$n")
    # nice: the client's own CPU should not be what is measured against.
    timeout 600 nice -n 5 "$client" -p "$port" -g "$games" -c "$concurrency" \
        --time-ms "$budget" --seed 7 -q --no-progress --json-summary "$summary" "$@" \
        >"$work/$label-$budget.txt" 2>&1 || {
        echo "swarm_bench.sh: client failed for $label at $budget ms:" >&2
        tail -5 "$work/$label-$budget.txt" >&2
        return 1
    }
    after=$(nodes_sum "$n")
    python3 - "$summary" "$before" "$after" "$((n * threads))" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
nodes = int(sys.argv[3]) - int(sys.argv[2])
rps = s["throughput"]["requests_per_s"]
print("%.1f %.1f %.0f %.2f %.2f %d" % (rps, rps / int(sys.argv[4]), nodes / s["elapsed_s"] / 1000,
                                        s["latency_ms"]["p50"], s["latency_ms"]["p99"],
                                        s["errors"]))
EOF
}

ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print('%.2f' % (a / b if b else 0))" "$@"; }

lb=$base_port
inst1=$((base_port + 1))
report=()
line() { report+=("$*"); }
row() { # row BUDGET SETUP "measure output"
    local mv pt kn p50 p99 err
    read -r mv pt kn p50 p99 err <<<"$3"
    line "| $1 | $2 | $mv | $pt | $kn | $p50 | $p99 | $err |"
}

line "swarm_bench $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
line "budgets $budgets ms, concurrency $concurrency, about ${seconds} s per 2-thread run"
line ""
line "| budget ms | setup | AI moves/s | per search thread | knodes/s | p50 ms | p99 ms | errors |"
line "|---|---|---|---|---|---|---|---|"

declare -A moves knodes
for budget in $budgets; do
    # Games per run: ~20 AI moves a game against the simulated human, sized
    # so that a 2-thread setup runs about $seconds s.
    games=$((seconds * 2 * 1000 / (budget * 20)))
    ((games >= 4)) || games=4
    for setup in direct-1x1 lb-1x1 lb-2x1 direct-1x2; do
        case $setup in
        direct-1x1) n=1 t=1 port=$inst1 ;;
        lb-1x1) n=1 t=1 port=$lb ;;
        lb-2x1) n=2 t=1 port=$lb ;;
        direct-1x2) n=1 t=2 port=$inst1 ;;
        esac
        up "$setup" "$n" "$t"
        r=$(measure "$setup" "$port" "$n" "$t" "$games" "$budget")
        down "$setup"
        row "$budget" "$setup" "$r"
        moves["$setup-$budget"]=$(awk '{ print $1 }' <<<"$r")
        knodes["$setup-$budget"]=$(awk '{ print $3 }' <<<"$r")
    done
done

line ""
line "| budget ms | lb-1x1 / direct-1x1 (moves/s) | scaling lb-2x1 / lb-1x1, moves/s | same, knodes/s | lb-2x1 / direct-1x2 (moves/s) |"
line "|---|---|---|---|---|"
for budget in $budgets; do
    line "| $budget | $(ratio "${moves[lb-1x1-$budget]}" "${moves[direct-1x1-$budget]}") |" \
        "$(ratio "${moves[lb-2x1-$budget]}" "${moves[lb-1x1-$budget]}") |" \
        "$(ratio "${knodes[lb-2x1-$budget]}" "${knodes[lb-1x1-$budget]}") |" \
        "$(ratio "${moves[lb-2x1-$budget]}" "${moves[direct-1x2-$budget]}") |"
done

# The hop itself: depth-1 searches (well under a millisecond), one request
# at a time, so latency is request handling + (for lb) the extra hop.
up hop 1 1
concurrency=1
read -r _ _ _ pd _ _ <<<"$(measure hop-direct "$inst1" 1 1 30 1000 -d 1)"
read -r _ _ _ pl _ _ <<<"$(measure hop-lb "$lb" 1 1 30 1000 -d 1)"
down hop
line ""
line "hop latency (depth-1 searches, concurrency 1, p50): direct ${pd} ms, through HAProxy ${pl} ms," \
    "+$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$pd" "$pl") ms per move"
line "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '%s\n' "${report[@]}"
[[ -z $out ]] || printf '%s\n' "${report[@]}" >"$out"
echo "# raw client output and summaries: $work" >&2
