"""gomoku-httpd signals and process management: SIGTERM/SIGINT drain and exit
0, a running search still gets its answer, repeated SIGTERM never hangs,
SIGHUP reopens the log, daemon mode with a pid file."""

import http.client
import json
import os
import signal
import socket
import threading
import time
import unittest

from harness import (LOG_DIR, Daemon, free_port, game, get_json, http_request, pid_alive,
                     run_binary, run_tests, sanitizer_env, sanitizer_reports, wait_until)
from test_httpd_load import Background, agent_line


def busy(port, n=1):
    return lambda: get_json(port, "/health")[1]["busy"] >= n


class Signals(unittest.TestCase):
    def test_sigterm_idle_exits_0(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            d = Daemon(["-t", "2"], name="idle-term").start()
            self.assertEqual(d.stop(sig, timeout=10), 0)
            self.assertIn("stopped", d.read_log())
            d.log.close()

    def test_sigterm_during_search_delivers_the_move(self):
        agent_port = free_port()
        d = Daemon(["-t", "1", "-a", str(agent_port), "--max-time-ms", "3000"],
                   name="term-search").start()
        try:
            # A keep-alive connection opened before the signal.
            keep = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            keep.request("GET", "/health")
            self.assertEqual(keep.getresponse().read() and 200, 200)

            job = Background(d.port, game([(7, 7)], max_time_ms=3000))
            wait_until(busy(d.port), what="search running")
            d.send_signal(signal.SIGTERM)
            wait_until(lambda: "draining" in d.read_log(), what="drain start")

            # While draining: new connections are refused, the agent says drain, the
            # open connection gets 503 for /ready and for a new move.
            with self.assertRaises(ConnectionRefusedError):
                http_request(d.port, "GET", "/health", timeout=5)
            self.assertEqual(agent_line(agent_port), "drain 0%\n")
            keep.request("GET", "/ready")
            r = keep.getresponse()
            self.assertEqual((r.status, json.loads(r.read())["status"]), (503, "draining"))
            self.assertEqual(r.getheader("Connection"), "close")
            keep.close()

            status, headers, body = job.answer()
            self.assertEqual(status, 200)
            # Answered after the drain began: the connection is closed, so a
            # pooling proxy never reuses one that the daemon is closing.
            self.assertEqual(headers.get("connection"), "close")
            moves = json.loads(body)["moves"]
            self.assertEqual(len(moves), 2)
            self.assertEqual(d.wait(20), 0)
            d.check_sanitizers()
        finally:
            d.stop()
            d.log.close()

    def test_new_move_on_open_connection_while_draining_is_503(self):
        d = Daemon(["-t", "1", "--max-time-ms", "3000"], name="drain-503").start()
        try:
            keep = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            keep.request("GET", "/health")
            keep.getresponse().read()
            job = Background(d.port, game([(7, 7)], max_time_ms=3000))
            wait_until(busy(d.port), what="search running")
            d.send_signal(signal.SIGTERM)
            wait_until(lambda: "draining" in d.read_log(), what="drain start")
            keep.request("POST", "/gomoku/play", json.dumps(game([(7, 7)], max_time_ms=10)),
                         {"Content-Type": "application/json"})
            r = keep.getresponse()
            body = json.loads(r.read())
            self.assertEqual(r.status, 503)
            self.assertIn("shutting down", body["error"])
            self.assertIsNotNone(r.getheader("Retry-After"))
            keep.close()
            self.assertEqual(job.answer()[0], 200)
            self.assertEqual(d.wait(20), 0)
        finally:
            d.stop()
            d.log.close()

    def test_drain_limit_stops_searches_at_their_best_move(self):
        d = Daemon(["-t", "1", "--max-time-ms", "8000", "--drain-ms", "100"],
                   name="drain-limit").start()
        try:
            job = Background(d.port, game([(7, 7)], max_time_ms=8000))
            wait_until(busy(d.port), what="search running")
            d.send_signal(signal.SIGTERM)
            status, _, body = job.answer()
            self.assertEqual(status, 200)
            move = json.loads(body)["moves"][1]
            self.assertIn("O (AI)", move)
            # Stopped well before its 8 s budget.
            self.assertLess(move["time_ms"], 6000)
            self.assertEqual(d.wait(20), 0)
            self.assertIn("stopping 1 searches at their best move", d.read_log())
        finally:
            d.stop()
            d.log.close()

    def test_repeated_sigterm_under_load_never_hangs(self):
        d = Daemon(["-t", "2", "-q", "4", "--max-time-ms", "5000"], name="term-repeat").start()
        try:
            jobs = [Background(d.port, game([(7, 7)], max_time_ms=5000)) for _ in range(6)]
            # All six accepted: both threads searching and four waiting.
            wait_until(lambda: (lambda h: (h["busy"], h["queued"]))(get_json(d.port, "/health")[1])
                       == (2, 4), what="full queue")
            for _ in range(3):
                d.send_signal(signal.SIGTERM)
                time.sleep(0.05)
            for job in jobs:
                status, _, body = job.answer()
                self.assertEqual(status, 200)
                self.assertEqual(len(json.loads(body)["moves"]), 2)
            self.assertEqual(d.wait(20), 0, "did not exit after repeated SIGTERM")
            self.assertIn("again: stopping the searches now", d.read_log())
        finally:
            d.stop()
            d.log.close()

    def test_sigterm_storm_with_hostile_traffic(self):
        d = Daemon(["-t", "1", "-q", "2", "--max-time-ms", "2000"], name="term-storm").start()
        try:
            jobs = [Background(d.port, game([(7, 7)], max_time_ms=2000)) for _ in range(3)]
            wait_until(lambda: (lambda h: (h["busy"], h["queued"]))(get_json(d.port, "/health")[1])
                       == (1, 2), what="all three accepted")
            slow = socket.create_connection(("127.0.0.1", d.port))
            slow.sendall(b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{")
            for _ in range(5):
                d.send_signal(signal.SIGTERM)
            self.assertEqual(d.wait(20), 0)
            slow.close()
            for job in jobs:
                self.assertEqual(job.answer()[0], 200)
        finally:
            d.stop()
            d.log.close()

    def test_requests_on_open_connections_during_shutdown(self):
        # Keep-alive /health and agent checks keep coming while the daemon
        # drains and stops: it must neither crash nor hang (under the
        # sanitizers, nor touch freed memory).
        agent_port = free_port()
        d = Daemon(["-t", "1", "-a", str(agent_port), "--max-time-ms", "1000"],
                   name="term-hammer").start()
        stop = threading.Event()
        counts = {"health": 0, "agent": 0}

        def hammer_health():
            conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            try:
                while not stop.is_set():
                    conn.request("GET", "/health")
                    conn.getresponse().read()
                    counts["health"] += 1
            except (OSError, http.client.HTTPException):
                pass  # closed by the shutdown

        def hammer_agent():
            while not stop.is_set():
                try:
                    agent_line(agent_port)
                    counts["agent"] += 1
                except OSError:
                    return

        try:
            job = Background(d.port, game([(7, 7)], max_time_ms=1000))
            wait_until(busy(d.port), what="search running")
            threads = [threading.Thread(target=f, daemon=True)
                       for f in (hammer_health, hammer_health, hammer_agent)]
            for t in threads:
                t.start()
            wait_until(lambda: counts["health"] > 20 and counts["agent"] > 5, what="traffic")
            d.send_signal(signal.SIGTERM)
            self.assertEqual(job.answer()[0], 200)
            self.assertEqual(d.wait(20), 0)
            stop.set()
            for t in threads:
                t.join(20)
            d.check_sanitizers()
        finally:
            stop.set()
            d.stop()
            d.log.close()

    def test_sighup_reopens_the_log_and_keeps_serving(self):
        os.makedirs(LOG_DIR, exist_ok=True)
        log = os.path.join(LOG_DIR, f"sighup-{os.getpid()}.log")
        for path in (log, log + ".1"):
            if os.path.exists(path):
                os.unlink(path)
        # -L debug: the access lines of /health and /ready are debug lines.
        d = Daemon(["-t", "1", "-l", log, "-L", "debug"], name="sighup").start()
        try:
            self.assertEqual(http_request(d.port, "GET", "/health")[0], 200)
            wait_until(lambda: "path=/health" in open(log).read(), what="first access line")
            os.rename(log, log + ".1")
            d.send_signal(signal.SIGHUP)
            # The new file exists as soon as the daemon opens it, a moment
            # before its descriptor replaces the old one; the "reopened"
            # line is written after the swap, so wait for that.
            wait_until(lambda: os.path.exists(log) and "log file reopened" in open(log).read(),
                       what="the reopened log file")
            self.assertEqual(http_request(d.port, "GET", "/ready")[0], 200)
            wait_until(lambda: "path=/ready" in open(log).read(), what="access line in new file")
            self.assertNotIn("path=/ready", open(log + ".1").read())
            for _ in range(20):
                d.send_signal(signal.SIGHUP)
            self.assertEqual(http_request(d.port, "POST", "/gomoku/play",
                                          game([(7, 7)], max_time_ms=20))[0], 200)
            self.assertTrue(d.alive())
            self.assertEqual(d.stop(), 0)
            text = open(log).read()
            self.assertIn("stopped", text)
            for report in sanitizer_reports(log):
                self.fail(report)
        finally:
            d.stop()
            d.log.close()


class DaemonMode(unittest.TestCase):
    def test_daemonize_with_pid_file(self):
        os.makedirs(LOG_DIR, exist_ok=True)
        base = os.path.join(LOG_DIR, f"daemon-{os.getpid()}")
        pid_file, log = base + ".pid", base + ".log"
        port = free_port()
        env = {k: v for k, v in sanitizer_env(log).items() if k.endswith("SAN_OPTIONS")}
        rc, out, err = run_binary(["-d", "-P", pid_file, "-l", log, "-t", "1",
                                   "-b", f"127.0.0.1:{port}"], env=env, timeout=30)
        self.assertEqual(rc, 0, err)
        # Returned only once serving: no waiting needed.
        pid = int(open(pid_file).read())
        try:
            self.assertTrue(pid_alive(pid))
            self.assertEqual(http_request(port, "GET", "/health")[0], 200)
            # The daemon left the session and the directory of its caller.
            self.assertEqual(os.readlink(f"/proc/{pid}/cwd"), "/")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
            self.assertNotEqual(int(fields[3]), os.getsid(0))  # session id
            # A second daemon with the same pid file refuses to start.
            rc2, _, err2 = run_binary(["-d", "-P", pid_file, "-t", "1", "-b", "127.0.0.1:0"],
                                      timeout=30)
            self.assertEqual(rc2, 1)
            self.assertIn("another gomoku-httpd is running", err2)
            self.assertEqual(int(open(pid_file).read()), pid)
        finally:
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not pid_alive(pid), timeout=20, what="daemon exit")
        self.assertFalse(os.path.exists(pid_file))
        self.assertIn("stopped", open(log).read())
        for report in sanitizer_reports(log):
            self.fail(report)

    def test_daemonize_bind_failure_exits_1_in_the_foreground(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            rc, _, err = run_binary(["-d", "-t", "1", "-b", f"127.0.0.1:{port}"], timeout=30)
        self.assertEqual(rc, 1)
        self.assertIn("Address already in use", err)


if __name__ == "__main__":
    run_tests()
