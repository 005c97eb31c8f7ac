#!/usr/bin/env bash
# /health latency while every search thread is busy (goal: p99 < 5 ms).
#   bench/health_under_load.sh [THREADS] [SECONDS]   (default: nproc, 5 s)
# THREADS searches of (SECONDS + 3) s each keep every search thread busy
# while wrk -t1 -c1 measures /health; the same run without searches first.
source "$(dirname "$0")/httpd_common.sh"
threads=${1:-$(nproc)}
secs=${2:-5}
machine
port=$(free_port)
budget=$(((secs + 3) * 1000))
start_httpd "$port" -t "$threads" -q 0 --max-time-ms "$budget" -L warn

health() {
    nice -n "${BENCH_NICE:-5}" wrk -t1 -c1 -d"${secs}s" --latency "http://127.0.0.1:$port/health" |
        awk -v name="$1" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 }
             /^ +99%/ { p99 = $2 } /Latency/ && !max { max = $4 }
             END { printf "%-28s p50 %8s  p90 %8s  p99 %8s  max %8s  (%s req/s)\n",
                   name, p50, p90, p99, max, rps }'
}

health "idle"
for i in $(seq "$threads"); do
    curl -s -o /dev/null -X POST --data-binary "$(record "$budget")" \
        "http://127.0.0.1:$port/gomoku/play" &
    pids+=("$!")
done
for _ in $(seq 100); do
    curl -s "http://127.0.0.1:$port/health" | grep -q "\"busy\":$threads," && break
    sleep 0.05
done
curl -s "http://127.0.0.1:$port/health"; echo
health "$threads of $threads threads busy"
stop_httpd
