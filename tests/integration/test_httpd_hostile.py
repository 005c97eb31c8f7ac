"""gomoku-httpd: every class of bad input gets a precise 4xx, the daemon
survives it, and a valid request succeeds right after."""

import json
import socket
import time
import unittest

from harness import Daemon, game, http_request, parse_response, raw_request, run_tests

VALID = game([(7, 7)], max_time_ms=30)


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A body limit above 100000 bytes, so that the deep nesting reaches
        # the JSON parser instead of the 413.
        cls.d = Daemon(["-t", "1", "--max-body", "262144", "--max-time-ms", "200"],
                       name="hostile").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.log.close()

    def tearDown(self):
        # After every hostile input: still alive, still playing.
        self.assertTrue(self.d.alive(), "the daemon died:\n" + self.d.read_log()[-2000:])
        status, _, body = http_request(self.d.port, "POST", "/gomoku/play", VALID)
        self.assertEqual(status, 200, body)
        self.assertEqual(len(json.loads(body)["moves"]), 2)

    def play(self, body, content_type="application/json"):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        return http_request(self.d.port, "POST", "/gomoku/play", body,
                            headers={"Content-Type": content_type})

    def assert_error(self, body_or_record, status, field, needle=None):
        code, headers, body = self.play(body_or_record)
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("content-type"), "application/json")
        doc = json.loads(body)
        self.assertEqual(set(doc), {"error", "field"})
        self.assertEqual(doc["field"], field, doc)
        if needle:
            self.assertIn(needle, doc["error"])
        return doc

    # The game layer's classes (the original crashed on the first two).
    def test_moves_is_a_number(self):
        self.assert_error(dict(VALID, moves=5), 400, "moves", "array")

    def test_move_is_a_number(self):
        self.assert_error(dict(VALID, moves=[1]), 400, "moves[0]", "object")

    def test_player_is_a_number(self):
        self.assert_error(dict(VALID, X=5), 400, "X", "object")

    def test_missing_player(self):
        rec = dict(VALID)
        del rec["O"]
        self.assert_error(rec, 400, "O", "missing")

    def test_out_of_bounds(self):
        self.assert_error(game([(15, 3)]), 400, "moves[0].X (human)", "outside")
        self.assert_error(game([(7, -1)]), 400, "moves[0].X (human)", "outside")
        self.assert_error(dict(VALID, moves=[{"X (human)": "Z99"}]), 400,
                          "moves[0].X (human)")

    def test_occupied(self):
        self.assert_error(game([(7, 7), (7, 7)]), 400, "moves[1]", "occupied")

    def test_out_of_turn(self):
        self.assert_error(dict(VALID, moves=[{"O (AI)": [1, 1]}]), 400, "moves[0]", "turn")

    def test_move_after_a_win(self):
        won = [(7, 0), (8, 0), (7, 1), (8, 1), (7, 2), (8, 2), (7, 3), (8, 3), (7, 4), (9, 9)]
        self.assert_error(game(won), 400, "moves[9]", "won")

    def test_unknown_side_key(self):
        self.assert_error(dict(VALID, moves=[{"Z (human)": [1, 1]}]), 400, "moves[0]",
                          "unknown side")

    def test_zero_side_keys(self):
        self.assert_error(dict(VALID, moves=[{"time_ms": 1}]), 400, "moves[0]", "no side")

    def test_two_side_keys(self):
        self.assert_error(dict(VALID, moves=[{"X (human)": [1, 1], "O (AI)": [2, 2]}]), 400,
                          "moves[0]", "two sides")

    def test_bad_board_size(self):
        self.assert_error(dict(VALID, board_size=3), 400, "board_size")

    # Transport and parser classes.
    def test_empty_body(self):
        self.assert_error(b"", 400, "", "empty")

    def test_invalid_json(self):
        self.assert_error(b"{", 400, "", "invalid JSON")
        self.assert_error(json.dumps(VALID) + " x", 400, "", "invalid JSON")
        self.assert_error(b"[]", 400, "", "object")

    def test_ten_megabyte_body(self):
        doc = self.assert_error(b"[" * (10 * 1024 * 1024), 413, "", "larger than 262144")

    def test_huge_announced_body_is_refused_before_reading(self):
        raw = raw_request(self.d.port, b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\n"
                                       b"Content-Type: application/json\r\n"
                                       b"Content-Length: 1000000000\r\n\r\n" + b"[" * 1000)
        status, headers, body = parse_response(raw)
        self.assertEqual(status, 413)

    def test_expect_100_continue_over_the_limit(self):
        raw = raw_request(self.d.port, b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\n"
                                       b"Content-Length: 300000\r\nExpect: 100-continue\r\n"
                                       b"Connection: close\r\n\r\n")
        status, _, _ = parse_response(raw)
        self.assertEqual(status, 413)

    def test_deep_nesting(self):
        self.assert_error(b"[" * 100000 + b"]" * 100000, 400, "", "depth")
        self.assert_error(b'{"a":' * 40000 + b"1" + b"}" * 40000, 400, "", "depth")

    def test_invalid_utf8(self):
        body = json.dumps(VALID).replace("human", "hu\udcffman", 1)
        self.assert_error(body.encode("utf-8", "surrogateescape"), 400, "", "invalid JSON")

    def test_nul_in_string(self):
        self.assert_error(json.dumps(VALID).replace("human", "hu\\u0000man", 1), 400, "",
                          "invalid JSON")

    def test_duplicate_keys(self):
        body = '{"X": {"player": "human"}, "X": {"player": "AI"}, "O": {"player": "AI"}, ' \
               '"moves": []}'
        self.assert_error(body, 400, "", "duplicate")

    def test_huge_numbers(self):
        self.assert_error(json.dumps(VALID).replace('"board_size": 15', '"board_size": '
                                                    + "9" * 30), 400, "", "too big")

    def test_wrong_method(self):
        status, headers, body = http_request(self.d.port, "GET", "/gomoku/play")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "POST, OPTIONS")

    def test_wrong_content_type(self):
        code, _, _ = self.play(json.dumps(VALID), content_type="multipart/form-data; b=x")
        self.assertEqual(code, 415)

    def test_huge_url(self):
        raw = raw_request(self.d.port, b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        status, _, _ = parse_response(raw)
        self.assertEqual(status, 414)

    def test_header_budget(self):
        # 16 KiB of per-connection memory (src/httpd/server.c): a 12 KiB
        # header is served, and a 6 KiB cookie (libmicrohttpd parses a copy
        # of it in the same memory, so cookies get half); 20 KiB is refused
        # or the connection closed, and the daemon goes on either way.
        def get_with(name, pad):
            raw = raw_request(self.d.port, b"GET /health HTTP/1.1\r\nHost: t\r\n" + name
                              + b": " + b"c" * pad + b"\r\nConnection: close\r\n\r\n")
            return parse_response(raw)[0]
        self.assertEqual(get_with(b"X-Pad", 12 * 1024), 200)
        self.assertEqual(get_with(b"Cookie", 6 * 1024), 200)
        self.assertIn(get_with(b"X-Pad", 20 * 1024), (431, None))
        self.assertIn(get_with(b"Cookie", 10 * 1024), (431, None))
        self.assertEqual(http_request(self.d.port, "GET", "/health")[0], 200)

    def test_many_headers(self):
        headers = b"".join(b"X-Junk-%d: %s\r\n" % (i, b"v" * 40) for i in range(2000))
        raw = raw_request(self.d.port, b"GET /health HTTP/1.1\r\nHost: t\r\n" + headers + b"\r\n")
        status, _, _ = parse_response(raw)
        self.assertEqual(status, 431)

    def test_garbage_request_line(self):
        for line in (b"hello world\r\n\r\n", b"GET  HTTP/1.1\r\n\r\n",
                     b"GET /health HTTP/1.1\r\nno colon here\r\n\r\n"):
            status, _, _ = parse_response(raw_request(self.d.port, line))
            self.assertEqual(status, 400, line)

    def test_one_word_request_line_is_not_answered_as_http(self):
        # libmicrohttpd 0.9.75 closes the connection without an answer when
        # the request line has no target at all: nothing to parse as HTTP.
        raw = raw_request(self.d.port, b"GARBAGE\r\n\r\n")
        self.assertNotRegex(raw, rb"^HTTP/1\.\d 2")

    def test_binary_noise(self):
        raw = raw_request(self.d.port, bytes(range(256)) * 4 + b"\r\n\r\n", timeout=2)
        self.assertNotRegex(raw, rb"^HTTP/1\.\d 2")

    def test_unsupported_http_version(self):
        raw = raw_request(self.d.port, b"GET /health HTTP/2.0\r\nHost: t\r\n\r\n")
        status, _, _ = parse_response(raw)
        self.assertEqual(status, 505)

    def test_http_1_0(self):
        raw = raw_request(self.d.port, b"GET /health HTTP/1.0\r\n\r\n")
        status, headers, body = parse_response(raw)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["status"], "ok")
        # HTTP/1.0 without keep-alive: the server closed (raw_request read to EOF).
        self.assertEqual(headers.get("connection", "close").lower(), "close")
        record = json.dumps(VALID).encode()
        raw = raw_request(self.d.port, b"POST /gomoku/play HTTP/1.0\r\nContent-Length: %d\r\n\r\n"
                          % len(record) + record)
        status, _, body = parse_response(raw)
        self.assertEqual(status, 200)

    def test_chunked_body(self):
        record = json.dumps(VALID).encode()
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(record[i:i + 7]), record[i:i + 7])
                          for i in range(0, len(record), 7))
        raw = raw_request(self.d.port, b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\n"
                                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                          + chunks + b"0\r\n\r\n")
        status, _, body = parse_response(raw)
        self.assertEqual(status, 200)

    def test_truncated_body_then_close(self):
        raw = raw_request(self.d.port, b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\n"
                                       b"Content-Length: 5000\r\n\r\n{\"X\":", shutdown_write=True,
                          timeout=2)
        self.assertNotRegex(raw, rb"^HTTP/1\.\d 2")

    def test_many_connections_opened_and_dropped(self):
        socks = []
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", self.d.port))
            s.sendall(b"POST /gomoku/play HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n{")
            socks.append(s)
        for s in socks:
            s.close()

    def test_pipelined_requests(self):
        one = b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"
        raw = raw_request(self.d.port, one * 3 + b"GET /ready HTTP/1.1\r\nHost: t\r\n"
                                                 b"Connection: close\r\n\r\n")
        self.assertEqual(raw.count(b"HTTP/1.1 200 OK"), 4)


if __name__ == "__main__":
    run_tests()
