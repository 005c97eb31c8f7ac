#!/usr/bin/env bash
# GET /health throughput: gomoku-httpd next to an nginx (1 worker) serving a
# fixed 200 JSON, both on loopback, same wrk settings, interleaved rounds.
#   bench/health_vs_nginx.sh [ROUNDS] [SECONDS]   (default 3 rounds of 5 s)
# gomoku-httpd runs twice: without access log (-L warn, like nginx's
# access_log off) and with its default access log written to a file.
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
pids+=("$!")

hport=$(free_port)
start_httpd "$hport" -t 1 -L warn
quiet_pid=$httpd_pid
lport=$(free_port)
start_httpd "$lport" -t 1 -l "$work/access.log"
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/health" && break; sleep 0.05; done

run() {
    local name=$1 port=$2
    nice -n "${BENCH_NICE:-5}" wrk -t1 -c10 -d"${secs}s" --latency "http://127.0.0.1:$port/health" |
        awk -v name="$name" '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
             END { printf "%-34s %10s req/s   p50 %8s   p99 %8s\n", name, rps, p50, p99 }'
}

echo "wrk -t1 -c10 -d${secs}s --latency, keep-alive"
for r in $(seq "$rounds"); do
    echo "round $r"
    run "  nginx 1 worker (fixed JSON)" "$nport"
    run "  gomoku-httpd -L warn" "$hport"
    run "  gomoku-httpd access log to file" "$lport"
done
