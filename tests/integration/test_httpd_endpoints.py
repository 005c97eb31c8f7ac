"""gomoku-httpd: every endpoint and status code, CORS, the page, budgets and
the command line (bind forms, exit codes)."""

import http.client
import json
import os
import re
import socket
import time
import unittest

from harness import (Daemon, game, get_json, http_request, raw_request, parse_response,
                     run_binary, run_tests, wait_until)

OPENING = [(7, 7)]


class Endpoints(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(["-t", "2", "--max-time-ms", "300", "-L", "debug"],
                       name="endpoints").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.log.close()

    def req(self, method, path, body=None, headers=None):
        return http_request(self.d.port, method, path, body=body, headers=headers)

    def assert_json(self, headers, body):
        self.assertEqual(headers.get("content-type"), "application/json")
        return json.loads(body)

    def assert_cors(self, headers):
        self.assertEqual(headers.get("access-control-allow-origin"), "*")

    def test_health(self):
        status, headers, body = self.req("GET", "/health")
        self.assertEqual(status, 200)
        doc = self.assert_json(headers, body)
        self.assert_cors(headers)
        self.assertEqual(doc["status"], "ok")
        self.assertRegex(doc["version"], r"^\d+\.\d+\.\d+$")
        self.assertRegex(doc["uptime"], r"^\d+h \d+m \d+s$")
        self.assertEqual(doc["threads"], 2)

    def test_head_health_has_no_body(self):
        raw = raw_request(self.d.port, b"HEAD /health HTTP/1.1\r\nHost: t\r\n"
                                       b"Connection: close\r\n\r\n")
        status, headers, body = parse_response(raw)
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")

    def test_repeated_answers_on_one_connection(self):
        # Identical /health and /ready answers reuse one prepared response
        # (src/httpd/server.c): GET and HEAD alternate on a keep-alive
        # connection with the right bodies and lengths.
        conn = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=10)
        try:
            for path in ("/ready", "/health", "/ready", "/ready"):
                for method in ("GET", "HEAD", "GET"):
                    conn.request(method, path)
                    r = conn.getresponse()
                    body = r.read()
                    self.assertEqual(r.status, 200, (method, path))
                    self.assertEqual(r.getheader("content-type"), "application/json")
                    self.assertEqual(r.getheader("cache-control"), "no-store")
                    self.assertEqual(r.getheader("access-control-allow-origin"), "*")
                    length = int(r.getheader("content-length"))
                    if method == "HEAD":
                        self.assertEqual(body, b"")
                    else:
                        self.assertEqual(len(body), length)
                        self.assertIn(json.loads(body)["status"], ("ok", "ready"))
        finally:
            conn.close()

    def test_ready_when_idle(self):
        status, headers, body = self.req("GET", "/ready")
        self.assertEqual(status, 200)
        self.assertEqual(self.assert_json(headers, body)["status"], "ready")

    def test_ready_queue_parameter(self):
        # Idle: the queue variant agrees with plain /ready, HEAD works too.
        for path in ("/ready?queue=1", "/ready?queue=0", "/ready?other=1"):
            status, headers, body = self.req("GET", path)
            self.assertEqual(status, 200, path)
            self.assertEqual(self.assert_json(headers, body)["status"], "ready")
        self.assertEqual(self.req("HEAD", "/ready?queue=1")[0], 200)
        for bad in ("2", "yes", "", "%00", "1%00"):
            status, headers, body = self.req("GET", "/ready?queue=" + bad)
            self.assertEqual(status, 400, bad)
            doc = self.assert_json(headers, body)
            self.assertEqual(doc["field"], "queue")
            self.assertIn("must be 0 or 1", doc["error"])
        self.assertEqual(self.req("GET", "/ready?queue")[0], 400)

    def test_metrics(self):
        self.req("GET", "/health")
        status, _, _ = self.req("POST", "/gomoku/play", game(OPENING, max_time_ms=50))
        self.assertEqual(status, 200)
        status, headers, body = self.req("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        text = body.decode()
        self.assertRegex(text, r'gomoku_http_requests_total\{route="health",code="200"\} [1-9]')
        self.assertRegex(text, r'gomoku_http_requests_total\{route="play",code="200"\} [1-9]')
        self.assertRegex(text, r"gomoku_search_duration_seconds_count [1-9]")
        self.assertRegex(text, r'gomoku_search_duration_seconds_bucket\{le="\+Inf"\} [1-9]')
        self.assertRegex(text, r"gomoku_search_nodes_total [1-9]")
        self.assertRegex(text, r"gomoku_queue_length 0\n")
        self.assertRegex(text, r"gomoku_search_threads_busy 0\n")
        self.assertRegex(text, r"gomoku_search_threads 2\n")
        # Every sample line is "name{labels} value" or "name value".
        for line in text.splitlines():
            if line and not line.startswith("#"):
                self.assertRegex(line, r"^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$")

    def test_play_appends_the_ai_move(self):
        rec = game(OPENING, max_time_ms=100)
        status, headers, body = self.req("POST", "/gomoku/play", rec)
        self.assertEqual(status, 200)
        self.assert_cors(headers)
        doc = self.assert_json(headers, body)
        self.assertEqual(len(doc["moves"]), 2)
        move = doc["moves"][1]
        self.assertIn("O (AI)", move)
        r, c = move["O (AI)"]
        self.assertTrue(0 <= r < 15 and 0 <= c < 15 and [r, c] != [7, 7])
        for key in ("time_ms", "depth", "nodes", "score", "pv", "queue_ms", "moves_searched"):
            self.assertIn(key, move)
        self.assertEqual(move["nodes"], move["moves_searched"])
        self.assertGreater(move["nodes"], 0)
        self.assertEqual(doc["winner"], "none")
        self.assertEqual(len(doc["board_state"]), 15)
        timing = headers.get("server-timing", "")
        self.assertRegex(timing, r"queue;dur=[0-9.]+, search;dur=[0-9.]+")

    def test_play_in_compact_notation_answers_compactly(self):
        rec = game([], x="AI", o="human", max_time_ms=50)
        status, _, body = self.req("POST", "/gomoku/play", rec)
        self.assertEqual(status, 200)
        first = json.loads(body)["moves"][0]
        self.assertIn("X (AI)", first)
        rec["moves"] = [{"X (AI)": "H8"}]
        rec["X"], rec["O"] = {"player": "human"}, {"player": "AI", "max_time_ms": 50}
        rec["moves"] = [{"X (human)": "H8"}]
        status, _, body = self.req("POST", "/gomoku/play", rec)
        self.assertEqual(status, 200)
        self.assertIsInstance(json.loads(body)["moves"][1]["O (AI)"], str)

    def test_depth_limits_the_search(self):
        status, _, body = self.req("POST", "/gomoku/play", game(OPENING, depth=1))
        self.assertEqual(status, 200)
        self.assertLessEqual(json.loads(body)["moves"][1]["depth"], 1)

    def test_server_cap_bounds_the_request_budget(self):
        # The request asks for 60 s; --max-time-ms 300 applies.
        status, _, body = self.req("POST", "/gomoku/play", game(OPENING, max_time_ms=60000))
        self.assertEqual(status, 200)
        self.assertLess(json.loads(body)["moves"][1]["time_ms"], 5000)

    def test_next_player_human_is_400(self):
        rec = game([(7, 7), (7, 8)])  # X (human) to move
        status, headers, body = self.req("POST", "/gomoku/play", rec)
        self.assertEqual(status, 400)
        doc = self.assert_json(headers, body)
        self.assertIn("human", doc["error"])
        self.assertEqual(doc["field"], "moves")

    def test_finished_game_comes_back_unchanged(self):
        moves = [(7, 0), (8, 0), (7, 1), (8, 1), (7, 2), (8, 2), (7, 3), (8, 3), (7, 4)]
        status, _, body = self.req("POST", "/gomoku/play", game(moves))
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual(doc["winner"], "X")
        self.assertEqual(len(doc["moves"]), len(moves))

    def test_options_preflight(self):
        status, headers, body = self.req("OPTIONS", "/gomoku/play", headers={
            "Origin": "http://example.test", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type"})
        self.assertEqual(status, 204)
        self.assertEqual(body, b"")
        self.assert_cors(headers)
        self.assertIn("POST", headers["access-control-allow-methods"])
        self.assertIn("Content-Type", headers["access-control-allow-headers"])
        self.assertEqual(headers["allow"], "POST, OPTIONS")
        status, headers, _ = self.req("OPTIONS", "/health")
        self.assertEqual(status, 204)
        self.assertEqual(headers["allow"], "GET, HEAD, OPTIONS")

    def test_unknown_path_is_404(self):
        status, headers, body = self.req("GET", "/nope")
        self.assertEqual(status, 404)
        self.assertIn("/nope", self.assert_json(headers, body)["error"])
        status, _, _ = self.req("OPTIONS", "/nope")
        self.assertEqual(status, 404)

    def test_wrong_method_is_405_with_allow(self):
        for method, path, allow in (("GET", "/gomoku/play", "POST, OPTIONS"),
                                    ("PUT", "/gomoku/play", "POST, OPTIONS"),
                                    ("POST", "/health", "GET, HEAD, OPTIONS"),
                                    ("DELETE", "/ready", "GET, HEAD, OPTIONS"),
                                    ("POST", "/metrics", "GET, HEAD, OPTIONS")):
            status, headers, body = self.req(method, path)
            self.assertEqual(status, 405, (method, path))
            self.assertEqual(headers.get("allow"), allow)
            self.assertIn(method, self.assert_json(headers, body)["error"])

    def test_body_over_default_limit_is_413(self):
        status, headers, body = self.req("POST", "/gomoku/play", b" " * (70 * 1024),
                                         headers={"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        self.assertIn("larger than 65536", self.assert_json(headers, body)["error"])

    def test_clearly_not_json_is_415(self):
        status, headers, _ = self.req("POST", "/gomoku/play", b"<a/>",
                                      headers={"Content-Type": "application/xml"})
        self.assertEqual(status, 415)
        # What old clients and `curl -d` send is accepted.
        status, _, _ = self.req("POST", "/gomoku/play", json.dumps(game(OPENING, max_time_ms=30)),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200)

    def test_play_page(self):
        status, headers, body = self.req("GET", "/")
        if status == 404:
            self.skipTest("the daemon was built without the play page (gomoku_web)")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/html"))
        csp = headers["content-security-policy"]
        self.assertIn("default-src 'self'", csp)
        self.assertNotRegex(csp, r"https?:")
        self.assertIn("cache-control", headers)
        etag = headers["etag"]
        status, headers2, body2 = self.req("GET", "/", headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body2, b"")
        self.assertEqual(headers2["etag"], etag)
        status, _, _ = self.req("GET", "/", headers={"If-None-Match": '"other"'})
        self.assertEqual(status, 200)
        status, headers, _ = self.req("POST", "/")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD, OPTIONS")
        # The page asks for nothing outside this server.
        self.assertNotRegex(body, rb"(src|href)=\"(https?:)?//")

    def test_access_and_move_log_lines(self):
        http_request(self.d.port, "POST", "/gomoku/play", game(OPENING, max_time_ms=30),
                     headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})
        # The access line is written when the answer has been sent, which
        # may be just after the client has read it.
        access = (r"access client=203\.0\.113\.9 peer=127\.0\.0\.1 method=POST "
                  r"path=/gomoku/play status=200 bytes=\d+ dur_ms=[0-9.]+ queue_ms=[0-9.]+")
        wait_until(lambda: re.search(access, self.d.read_log()), what="the access line")
        log = self.d.read_log()
        self.assertRegex(log, r"access client=203\.0\.113\.9 peer=127\.0\.0\.1 method=POST "
                              r"path=/gomoku/play status=200 bytes=\d+ dur_ms=[0-9.]+ "
                              r"queue_ms=[0-9.]+")
        self.assertRegex(log, r"move side=O move=[A-Z]\d+ depth=\d+ nodes=\d+ score=-?\d+ "
                              r"time_ms=[0-9.]+")


class CommandLine(unittest.TestCase):
    def test_help_lists_every_option_with_defaults(self):
        rc, out, err = run_binary(["--help"])
        self.assertEqual(rc, 0)
        for opt in ("--bind", "--threads", "--queue", "--agent-port", "--daemonize",
                    "--pid-file", "--log-file", "--log-level", "--hash-mb", "--max-time-ms",
                    "--max-depth", "--max-body", "--version"):
            self.assertIn(opt, out)
        self.assertIn("default 127.0.0.1:9900", out)

    def test_version(self):
        rc, out, _ = run_binary(["-V"])
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^gomoku-httpd \d+\.\d+\.\d+\n$")

    def test_bad_options_exit_2(self):
        for args, needle in ((["--bogus"], "unknown option --bogus"),
                             (["-x"], "unknown option -x"),
                             (["-t", "zero"], "--threads"),
                             (["-t"], "needs a value"),
                             (["-b", "127.0.0.1"], "--bind"),
                             (["-b", "::1:80"], "[ADDRESS]:PORT"),
                             (["-b", "127.0.0.1:70000"], "port"),
                             (["-L", "loud"], "--log-level"),
                             (["extra"], "unexpected argument")):
            rc, out, err = run_binary(args)
            self.assertEqual(rc, 2, args)
            self.assertIn(needle, err, args)
            self.assertEqual(out, "")

    def test_port_in_use_exits_1(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            rc, out, err = run_binary(["-b", f"127.0.0.1:{port}"])
        self.assertEqual(rc, 1)
        self.assertIn(f"cannot bind 127.0.0.1:{port}: Address already in use", err)

    def test_port_in_use_with_log_file_still_tells_the_terminal(self):
        logdir = os.path.join(os.environ.get("GOMOKU_BUILD_DIR", "."), "test-logs")
        os.makedirs(logdir, exist_ok=True)
        log = os.path.join(logdir, f"inuse-{os.getpid()}.log")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            rc, _, err = run_binary(["-b", f"127.0.0.1:{port}", "-l", log])
        self.assertEqual(rc, 1)
        self.assertIn("Address already in use", err)
        with open(log) as f:
            self.assertIn("Address already in use", f.read())

    def test_port_zero_picks_a_port_and_logs_it(self):
        d = Daemon(["-b", "127.0.0.1:0", "-t", "1"], bind=False, ready_path=None,
                   name="port0").start()
        try:
            m = None
            for _ in range(500):
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", d.read_log())
                if m or not d.alive():
                    break
                time.sleep(0.02)
            self.assertIsNotNone(m, d.read_log())
            port = int(m.group(1))
            self.assertNotEqual(port, 0)
            status, doc = get_json(port, "/health")
            self.assertEqual(status, 200)
        finally:
            d.stop()
            d.log.close()

    def test_ipv6_bind(self):
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", 0))
        except OSError:
            self.skipTest("no IPv6 loopback here")
        with Daemon(["-t", "1"], host="::1", name="ipv6") as d:
            status, headers, body = http_request(d.port, "GET", "/health", host="::1")
            self.assertEqual(status, 200)


if __name__ == "__main__":
    run_tests()
