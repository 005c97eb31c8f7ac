#!/usr/bin/env bash
# GET /health throughput: gomoku-httpd next to an nginx (1 worker) serving a
# fixed 200 JSON, both on loopback, same wrk settings, interleaved rounds.
#   bench/health_vs_nginx.sh [ROUNDS] [SECONDS]   (default 3 rounds of 5 s)
# gomoku-httpd runs twice, both logging to a file: at its default level
# (info: health checks are debug lines, so none is written, like nginx's
# access_log off) and at -L debug (one access line per check).
# GOMOKU_BASE_BIN_DIR=<dir> adds the gomoku-httpd of that directory (at its
# default level) as "base": before/after in the same run.
# Besides wrk's req/s and latency, each line gives the server's CPU time
# per request (all its threads, from /proc/PID/task/*/schedstat): the
# figure least disturbed by other work on a shared machine.
# shellcheck source=bench/httpd_common.sh
source "$(dirname "$0")/httpd_common.sh"
rounds=${1:-3}
secs=${2:-5}
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
machine

nport=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp;
    proxy_temp_path $work/nginx/tmp;
    fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp;
    scgi_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nport;
        location = /health {
            default_type application/json;
            return 200 '{"status":"ok","version":"0.1.0","uptime":"0h 0m 1s"}';
        }
    }
}
CONF
nice -n "${BENCH_NICE:-5}" "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_master=$!
pids+=("$nginx_master")

names=() ports=() cpu_pids=()
add() { names+=("$1"); ports+=("$2"); cpu_pids+=("$3"); }

hport=$(free_port)
start_httpd "$hport" -t 1 -l "$work/info.log"
add "  gomoku-httpd (default, log file)" "$hport" "$httpd_pid"
lport=$(free_port)
start_httpd "$lport" -t 1 -l "$work/debug.log" -L debug
add "  gomoku-httpd -L debug (log file)" "$lport" "$httpd_pid"
if [[ -n ${GOMOKU_BASE_BIN_DIR:-} ]]; then
    bport=$(free_port)
    httpd_saved=$httpd
    httpd=$GOMOKU_BASE_BIN_DIR/gomoku-httpd
    start_httpd "$bport" -t 1 -l "$work/base.log"
    httpd=$httpd_saved
    add "  base: $GOMOKU_BASE_BIN_DIR (default)" "$bport" "$httpd_pid"
fi
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/health" && break; sleep 0.05; done
# The worker does the serving; the master only waits.
nginx_worker=$(pgrep -P "$nginx_master" | head -n 1)
names=("  nginx 1 worker (fixed JSON)" "${names[@]}")
ports=("$nport" "${ports[@]}")
cpu_pids=("$nginx_worker" "${cpu_pids[@]}")

# cpu_ns PID: CPU time of all its threads so far, in ns.
cpu_ns() {
    cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

run() {
    local name=$1 port=$2 pid=$3 before after
    before=$(cpu_ns "$pid")
    out=$(nice -n "${BENCH_NICE:-5}" wrk -t1 -c10 -d"${secs}s" --latency "http://127.0.0.1:$port/health")
    after=$(cpu_ns "$pid")
    awk -v name="$name" -v cpu=$((after - before)) '
        /Requests\/sec/ { rps = $2 } /requests in/ { n = $1 }
        /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
        END { printf "%-40s %9s req/s  p50 %8s  p99 %8s  cpu %5.2f us/req\n", name, rps, p50, p99, cpu / n / 1000 }' <<<"$out"
}

echo "wrk -t1 -c10 -d${secs}s --latency, keep-alive"
for r in $(seq "$rounds"); do
    echo "round $r (load average $(cut -d' ' -f1 /proc/loadavg))"
    for i in "${!names[@]}"; do
        run "${names[$i]}" "${ports[$i]}" "${cpu_pids[$i]}"
    done
done
