#!/usr/bin/env bash
# POST /gomoku/play latency against the requested budget, and moves per
# second with T search threads.
#   bench/play_latency.sh [THREADS]   (default: nproc)
source "$(dirname "$0")/httpd_common.sh"
threads=${1:-$(nproc)}
machine
port=$(free_port)
start_httpd "$port" -t "$threads" -q 64 -L warn

latency() {
    local budget=$1 n=$2
    record "$budget" >"$work/rec.json"
    for _ in $(seq "$n"); do
        curl -s -o "$work/out.json" -w '%{time_total}\n' -X POST --data-binary @"$work/rec.json" \
            "http://127.0.0.1:$port/gomoku/play" >>"$work/lat-$budget"
        python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["moves"][-1]; print(m["time_ms"], m["depth"])' \
            "$work/out.json" >>"$work/search-$budget"
    done
    sort -n "$work/lat-$budget" | awk -v b="$budget" -v n="$n" '{ v[NR] = $1 * 1000; s += $1 * 1000 }
        END { printf "budget %5d ms: %d sequential moves, wall mean %.1f ms, min %.1f, median %.1f, max %.1f (max over budget: %+.1f ms)\n",
              b, n, s / n, v[1], v[int((n + 1) / 2)], v[n], v[n] - b }'
    awk '{ t += $1; d += $2 } END { printf "                 engine-reported search time mean %.1f ms, mean depth %.1f\n", t / NR, d / NR }' \
        "$work/search-$budget"
}

latency 100 20
latency 1000 5

echo
budget=100
record "$budget" >"$work/rec.json"
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/rec.json"); wrk.body = f:read("*a"); f:close()
LUA
for c in 1 "$threads" $((threads * 2)); do
    nice -n "${BENCH_NICE:-5}" wrk -t1 -c"$c" -d6s --latency -s "$work/post.lua" \
        "http://127.0.0.1:$port/gomoku/play" |
        awk -v c="$c" -v t="$threads" -v b="$budget" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 }
            /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
            END { printf "budget %d ms, %d threads, %d concurrent clients: %s moves/s (ideal %.1f), p50 %s, p99 %s%s\n",
                  b, t, c, rps, (c < t ? c : t) * 1000 / b, p50, p99, bad ? ", non-2xx " bad : "" }'
done
stop_httpd
