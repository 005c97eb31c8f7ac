"""gomoku-http-client against the real daemon on free loopback ports, and
against small fake servers written here: one game in each mode, two servers
(one per side), 20 games 4 at a time, 503s from a full queue retried to
success, a daemon killed mid-run reported (non-zero exit, bounded time),
tampered replies detected and saved, and the original server's reply format
accepted."""

import glob
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (SANITIZER_MARKERS, Daemon, DaemonError, binary, free_port, http_request,
                     run_tests, wait_until)

CLIENT = "gomoku-http-client"
# Small budgets keep every game short; the client's own bound on a request
# is derived from them.
FAST = ["--time-ms", "20", "--no-progress"]
# Small hash tables: several daemons share the machine with other tests. A
# low cap on the search time makes the daemon's Retry-After one second.
DAEMON = ["-t", "1", "--hash-mb", "4", "--max-time-ms", "200"]
CLIENT_TIMEOUT = 180  # seconds; only reached if the client hangs


def run_client(args, timeout=CLIENT_TIMEOUT):
    """Runs the client to completion: (exit code, stdout, stderr). Fails on
    a sanitizer report; a hang raises subprocess.TimeoutExpired."""
    p = subprocess.run([binary(CLIENT)] + list(args), capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    for text in (p.stdout, p.stderr):
        if any(m in text for m in SANITIZER_MARKERS):
            raise DaemonError("sanitizer report in the client:\n" + text[-6000:])
    return p.returncode, p.stdout, p.stderr


def url(port):
    return f"http://127.0.0.1:{port}"


def play_counts(port):
    """{status code: count} of POST /gomoku/play answered by a daemon,
    from its /metrics."""
    status, _, body = http_request(port, "GET", "/metrics", timeout=10)
    assert status == 200
    counts = {}
    for m in re.finditer(r'gomoku_http_requests_total\{route="play",code="(\w+)"\} (\d+)',
                         body.decode()):
        counts[m.group(1)] = int(m.group(2))
    return counts


COLUMNS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"


def cell_of(value):
    """(row, col) of a move value: [row, col] or compact "H8"."""
    if isinstance(value, list):
        return value[0], value[1]
    return int(value[1:]) - 1, COLUMNS.index(value[0].upper())


def side_and_cell(move):
    for key, value in move.items():
        if key[:1] in ("X", "O") and key[1:3] == " (":
            return key[0], cell_of(value)
    raise AssertionError(f"move without a side: {move}")


def five_at(stones, size, row, col):
    """True when the stone at (row, col) is in a row of five or more."""
    mine = stones[(row, col)]
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        n = 1
        for sign in (1, -1):
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < size and 0 <= c < size and stones.get((r, c)) == mine:
                n += 1
                r, c = r + sign * dr, c + sign * dc
        if n >= 5:
            return True
    return False


def check_record(test, rec):
    """A saved game: sides alternate from X on distinct cells, and the
    winner, when there is one, made five with the last move."""
    size = rec["board_size"]
    stones = {}
    for i, move in enumerate(rec["moves"]):
        side, cell = side_and_cell(move)
        test.assertEqual(side, "XO"[i % 2], f"move {i + 1}")
        test.assertNotIn(cell, stones, f"move {i + 1} on an occupied cell")
        stones[cell] = side
    if rec["winner"] in ("X", "O"):
        side, cell = side_and_cell(rec["moves"][-1])
        test.assertEqual(side, rec["winner"])
        test.assertTrue(five_at(stones, size, *cell))
    else:
        test.assertEqual(rec["winner"], "draw")
        test.assertEqual(len(stones), size * size)


class Workdir:
    """A temporary directory for the files a test makes, removed after."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="gomoku-client-test-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False


class AgainstDaemon(unittest.TestCase):
    def summary(self, path):
        with open(path) as f:
            return json.load(f)

    def assert_passed(self, rc, out, err, games):
        self.assertEqual(rc, 0, f"stdout:\n{out}\nstderr:\n{err}")
        self.assertEqual(out.rstrip().splitlines()[-1], f"{games} passed, 0 failed")

    def test_human_vs_ai(self):
        with Workdir() as tmp, Daemon(DAEMON, name="client-human") as d:
            game_path = os.path.join(tmp, "game.json")
            summary = os.path.join(tmp, "summary.json")
            rc, out, err = run_client(["-p", str(d.port), "-j", game_path, "--json-summary",
                                       summary, "--seed", "7"] + FAST)
            self.assert_passed(rc, out, err, 1)
            self.assertRegex(out, r"game 1/1: (X won|O won|draw) in \d+ moves")
            with open(game_path) as f:
                rec = json.load(f)
            self.assertEqual(rec["X"]["player"], "human")
            self.assertEqual(rec["O"]["player"], "AI")
            self.assertEqual(rec["O"]["max_time_ms"], 20)
            self.assertEqual(rec["board_size"], 15)
            check_record(self, rec)
            s = self.summary(summary)
            self.assertEqual((s["games"], s["passed"], s["failed"], s["errors"]), (1, 1, 0, 0))
            self.assertEqual(s["moves"], len(rec["moves"]))
            # The server answered every O move, once each.
            self.assertEqual(s["requests"], len(rec["moves"]) // 2)
            self.assertEqual(play_counts(d.port).get("200"), s["requests"])
            self.assertEqual(s["latency_ms"]["samples"], s["requests"])
            self.assertGreater(s["latency_ms"]["max"], 0)
            self.assertEqual(s["connections"], 1)

    def test_ai_vs_ai(self):
        with Workdir() as tmp, Daemon(DAEMON, name="client-ai") as d:
            game_path = os.path.join(tmp, "game.json")
            rc, out, err = run_client(["--url", url(d.port), "--mode", "ai", "-d", "2:3",
                                       "--time-ms", "20:30", "--no-progress", "-b", "19",
                                       "-j", game_path])
            self.assert_passed(rc, out, err, 1)
            with open(game_path) as f:
                rec = json.load(f)
            self.assertEqual(rec["board_size"], 19)
            self.assertEqual((rec["X"]["player"], rec["X"]["depth"], rec["X"]["max_time_ms"]),
                             ("AI", 2, 20))
            self.assertEqual((rec["O"]["player"], rec["O"]["depth"], rec["O"]["max_time_ms"]),
                             ("AI", 3, 30))
            check_record(self, rec)
            self.assertEqual(play_counts(d.port).get("200"), len(rec["moves"]))

    def test_levels_replay_with_the_seed(self):
        # AI against AI at levels 3 and 2 after a random opening: each game
        # sends a seed derived from --seed, and the levels search without a
        # clock, so the same run gives the same games.
        with Workdir() as tmp, Daemon(DAEMON, name="client-levels") as d:
            games = []
            for run in range(2):
                path = os.path.join(tmp, f"game{run}.json")
                rc, out, err = run_client(["-p", str(d.port), "--mode", "ai", "--level", "3:2",
                                           "--opening", "3", "--seed", "11", "--no-progress",
                                           "-j", path])
                self.assert_passed(rc, out, err, 1)
                with open(path) as f:
                    rec = json.load(f)
                check_record(self, rec)
                self.assertEqual((rec["X"]["level"], rec["O"]["level"]), (3, 2))
                self.assertIsInstance(rec["seed"], int)
                games.append([side_and_cell(m) for m in rec["moves"]])
                # The opening: three moves in the 5x5 square at the centre.
                for side, (r, c) in games[-1][:3]:
                    self.assertTrue(5 <= r <= 9 and 5 <= c <= 9, (r, c))
            self.assertEqual(games[0], games[1])

    def test_two_servers_one_per_side(self):
        with Workdir() as tmp, Daemon(DAEMON, name="client-x") as dx, \
                Daemon(DAEMON, name="client-o") as do:
            game_path = os.path.join(tmp, "game.json")
            rc, out, err = run_client(["-p", f"{dx.port}:{do.port}", "-j", game_path] + FAST)
            self.assert_passed(rc, out, err, 1)
            self.assertIn(f"X from {url(dx.port)}/gomoku/play", out)
            with open(game_path) as f:
                rec = json.load(f)
            check_record(self, rec)
            n = len(rec["moves"])
            self.assertEqual(play_counts(dx.port).get("200"), (n + 1) // 2)
            self.assertEqual(play_counts(do.port).get("200"), n // 2)

            # The same with two --url flags, and the standard rule.
            rc, out, err = run_client(["--url", url(dx.port), "--url", url(do.port), "--rule",
                                       "standard", "-j", game_path] + FAST)
            self.assert_passed(rc, out, err, 1)
            with open(game_path) as f:
                self.assertEqual(json.load(f)["rule"], "standard")

    def test_twenty_games_four_at_a_time(self):
        with Workdir() as tmp, Daemon(["-t", "2", "--hash-mb", "4"], name="client-20") as d:
            summary = os.path.join(tmp, "summary.json")
            games = os.path.join(tmp, "g.json")
            rc, out, err = run_client(["-p", str(d.port), "-g", "20", "-c", "4", "--time-ms",
                                       "20", "--json-summary", summary, "-j", games])
            self.assert_passed(rc, out, err, 20)
            s = self.summary(summary)
            self.assertEqual((s["games"], s["played"], s["passed"]), (20, 20, 20))
            self.assertEqual(s["wins"]["X"] + s["wins"]["O"] + s["wins"]["draw"], 20)
            self.assertTrue(all(g["ok"] and g["error"] is None for g in s["per_game"]))
            self.assertEqual(sorted(g["game"] for g in s["per_game"]), list(range(1, 21)))
            # Keep-alive: one connection per worker thread.
            self.assertLessEqual(s["connections"], 4)
            self.assertEqual(play_counts(d.port).get("200"), s["requests"])
            self.assertEqual(len(re.findall(r"^game \d+/20: ", out, re.M)), 20)
            # Not a terminal: plain progress lines on stderr.
            self.assertIn("progress: 20/20 games", err)
            saved = sorted(glob.glob(os.path.join(tmp, "g-*.json")))
            self.assertEqual(len(saved), 20)
            for path in saved[:3]:
                with open(path) as f:
                    check_record(self, json.load(f))

    def test_full_queue_503_retried_to_success(self):
        # One search thread and one queue slot: of six games at once, most
        # requests find the queue full and get 503 + Retry-After.
        with Workdir() as tmp, Daemon(DAEMON + ["-q", "1"], name="client-503") as d:
            summary = os.path.join(tmp, "summary.json")
            rc, out, err = run_client(["-p", str(d.port), "-g", "6", "-c", "6", "--retries",
                                       "50", "--json-summary", summary] + FAST)
            self.assert_passed(rc, out, err, 6)
            s = self.summary(summary)
            self.assertGreater(s["retries"], 0)
            self.assertEqual(s["retries"], s["retries_by_cause"]["http_503"])
            counts = play_counts(d.port)
            # Nothing lost, nothing played twice: every 503 was retried, and
            # the server answered each move exactly once.
            self.assertEqual(counts.get("503"), s["retries"])
            self.assertEqual(counts.get("200"), s["requests"])
            self.assertRegex(out, r"retries:    \d+ \(http_503 \d+\)")

    def test_server_killed_mid_run(self):
        d = Daemon(DAEMON, name="client-killed").start()
        client = None
        try:
            client = subprocess.Popen(
                [binary(CLIENT), "-p", str(d.port), "--mode", "ai", "-g", "20", "-c", "2",
                 "--retries", "2"] + FAST,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                stdin=subprocess.DEVNULL)
            wait_until(lambda: play_counts(d.port).get("200", 0) >= 10, timeout=60,
                       what="the client's first moves")
            d.send_signal(signal.SIGKILL)
            start = time.monotonic()
            out, err = client.communicate(timeout=CLIENT_TIMEOUT)
            elapsed = time.monotonic() - start
        finally:
            if client is not None and client.poll() is None:
                client.kill()
                client.communicate()
            d.kill()
            d.log.close()
        for text in (out, err):
            self.assertFalse(any(m in text for m in SANITIZER_MARKERS), text[-6000:])
        self.assertEqual(client.returncode, 1, f"stdout:\n{out}\nstderr:\n{err}")
        # Each failing request gives up after 2 retries (100-300 ms of
        # backoff), so the whole run ends well within this.
        self.assertLess(elapsed, 60)
        self.assertRegex(err, r"game \d+/20: FAILED after \d+ moves")
        self.assertRegex(err, r"failed after 3 attempts: .*(Couldn't connect|refused|"
                              r"Connection|Empty reply|Recv failure)")
        last = out.rstrip().splitlines()[-1]
        m = re.fullmatch(r"(\d+) passed, (\d+) failed", last)
        self.assertIsNotNone(m, last)
        self.assertGreater(int(m.group(2)), 0)
        self.assertEqual(int(m.group(1)) + int(m.group(2)), 20)


class CommandLine(unittest.TestCase):
    def test_usage_errors_exit_2(self):
        rc, out, err = run_client(["--bogus"])
        self.assertEqual(rc, 2)
        self.assertIn("unknown option --bogus", err)
        rc, out, err = run_client(["-d", "0"])
        self.assertEqual(rc, 2)
        self.assertIn("-d/--depth expects", err)
        rc, out, err = run_client(["--help"])
        self.assertEqual(rc, 0)
        self.assertIn("--json-summary FILE", out)

    def test_no_server_fail_fast(self):
        # Nothing listens on the port: the first game fails after its
        # retries, and --fail-fast starts no other.
        port = free_port()
        with Workdir() as tmp:
            summary = os.path.join(tmp, "summary.json")
            rc, out, err = run_client(["-p", str(port), "-g", "5", "--retries", "1",
                                       "--fail-fast", "--json-summary", summary] + FAST)
            self.assertEqual(rc, 1, f"stdout:\n{out}\nstderr:\n{err}")
            self.assertEqual(out.rstrip().splitlines()[-1], "0 passed, 1 failed, 4 not started")
            self.assertIn("failed after 2 attempts", err)
            with open(summary) as f:
                s = json.load(f)
            self.assertEqual((s["failed"], s["not_started"], s["retries_by_cause"]["connect"]),
                             (1, 4, 1))


class Interrupted(unittest.TestCase):
    def test_ctrl_c_prints_the_summary(self):
        with Workdir() as tmp, Daemon(DAEMON, name="client-sigint") as d:
            summary = os.path.join(tmp, "summary.json")
            client = subprocess.Popen(
                [binary(CLIENT), "-p", str(d.port), "-g", "100", "-c", "2", "--json-summary",
                 summary] + FAST,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                stdin=subprocess.DEVNULL)
            try:
                wait_until(lambda: play_counts(d.port).get("200", 0) >= 5, timeout=60,
                           what="the client's first moves")
                client.send_signal(signal.SIGINT)
                out, err = client.communicate(timeout=CLIENT_TIMEOUT)
            finally:
                if client.poll() is None:
                    client.kill()
                    client.communicate()
            for text in (out, err):
                self.assertFalse(any(m in text for m in SANITIZER_MARKERS), text[-6000:])
            self.assertEqual(client.returncode, 130, f"stdout:\n{out}\nstderr:\n{err}")
            self.assertIn("Interrupt: stopping after the moves in flight", err)
            self.assertRegex(out.rstrip().splitlines()[-1],
                             r"^\d+ passed, \d+ failed, \d+ not started$")
            with open(summary) as f:
                s = json.load(f)
            self.assertGreater(s["not_started"], 0)
            self.assertEqual(s["played"] + s["not_started"], 100)


def replay(rec):
    """{(row, col): side} of a request's moves."""
    stones = {}
    for move in rec.get("moves", []):
        side, cell = side_and_cell(move)
        stones[cell] = side
    return stones


def first_empty(stones, size, skip=()):
    for r in range(size):
        for c in range(size):
            if (r, c) not in stones and (r, c) not in skip:
                return r, c
    raise AssertionError("board full")


def to_move(rec):
    return "XO"[len(rec.get("moves", [])) % 2]


class FakeServer:
    """An HTTP/1.1 server on a free loopback port whose POST answer is
    answer(request record) -> (status, headers, body bytes)."""

    def __init__(self, answer):
        outer = self
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                rec = json.loads(self.rfile.read(length))
                outer.requests += 1
                status, headers, body = answer(rec)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
        return False


def appended(rec, cells):
    """rec with moves at cells appended for the sides in turn."""
    out = json.loads(json.dumps(rec))
    for cell in cells:
        side = to_move(out)
        out["moves"].append({f"{side} ({out[side]['player']})": list(cell)})
    return out


def tamper_two_moves(rec):
    stones = replay(rec)
    a = first_empty(stones, rec["board_size"])
    b = first_empty(stones, rec["board_size"], skip=(a,))
    return 200, {}, json.dumps(appended(rec, [a, b])).encode()


def tamper_earlier_move(rec):
    stones = replay(rec)
    size = rec["board_size"]
    out = appended(rec, [first_empty(stones, size)])
    # Move X's first stone to another empty cell.
    key = next(iter(out["moves"][0]))
    out["moves"][0][key] = list(first_empty(replay(out), size))
    return 200, {}, json.dumps(out).encode()


def tamper_not_json(rec):
    return 200, {}, b"<html>all good</html>"


def answer_bad_request(rec):
    return 400, {}, b'{"error": "no thanks", "field": "moves"}'


class Tampered(unittest.TestCase):
    def run_against(self, answer, expected):
        with Workdir() as tmp, FakeServer(answer) as fake:
            rc, out, err = run_client(["-p", str(fake.port), "--save-errors", tmp, "--seed", "3"]
                                      + FAST)
            self.assertEqual(rc, 1, f"stdout:\n{out}\nstderr:\n{err}")
            self.assertEqual(out.rstrip().splitlines()[-1], "0 passed, 1 failed")
            self.assertIn(expected, err)
            # Not retried: a wrong answer is not a transient failure.
            self.assertEqual(fake.requests, 1)
            files = glob.glob(os.path.join(tmp, "gomoku-client-error-*-game1-move2.txt"))
            self.assertEqual(len(files), 1, f"stderr:\n{err}")
            self.assertIn("request and reply saved to " + files[0], err)
            with open(files[0]) as f:
                text = f.read()
            self.assertIn(expected, text)
            request = text.split("--- request: ", 1)[1].split("\n", 1)[1]
            request = request.split("\n--- reply: ", 1)[0]
            self.assertEqual(len(json.loads(request)["moves"]), 1)
            return text

    def test_two_moves_appended(self):
        self.run_against(tamper_two_moves, "reply did not add exactly one move: 1 move was "
                                           "sent and 3 came back")

    def test_earlier_move_changed(self):
        self.run_against(tamper_earlier_move, "reply changed or dropped earlier moves: move 1 "
                                              "was X at")

    def test_not_json(self):
        text = self.run_against(tamper_not_json, "reply is not a valid game record: invalid JSON")
        self.assertIn("<html>all good</html>", text)

    def test_client_error_status_is_final(self):
        text = self.run_against(answer_bad_request, "HTTP 400 after 1 attempt")
        self.assertIn("http_status: 400", text)
        self.assertIn('"no thanks"', text)


def original_server(rec):
    """What the original gomoku-httpd answers: compact "K10" cells, move keys
    labelled by the players' kinds, undo fields and scoring, no "rule". It
    plays the first empty cell (legal, and weak enough to lose)."""
    size = rec.get("board_size", 19)
    stones = replay(rec)
    side = to_move(rec)
    r, c = first_empty(stones, size)
    stones[(r, c)] = side
    winner = side if five_at(stones, size, r, c) else "none"
    kinds = {s: rec[s]["player"] for s in "XO"}
    moves = []
    for move in rec["moves"]:
        s, (mr, mc) = side_and_cell(move)
        moves.append({f"{s} ({kinds[s]})": f"{COLUMNS[mc]}{mr + 1}", "time_ms": 0.0})
    moves.append({f"{side} ({kinds[side]})": f"{COLUMNS[c]}{r + 1}", "time_ms": 1.234,
                  "moves_evaluated": 99, "score": 10, "opponent": -5})
    board = [" ".join(stones.get((row, col), ".") for col in range(size)) for row in range(size)]
    out = {"X": {"player": kinds["X"], "time_ms": 0.0},
           "O": {"player": kinds["O"], "depth": 4, "time_ms": 1.234},
           "board_size": size, "radius": 2, "timeout": "none", "undo": True, "undo_limit": 5,
           "winner": winner, "board_state": board, "moves": moves}
    return 200, {}, json.dumps(out, indent=2).encode()


class OriginalFormat(unittest.TestCase):
    def test_plays_a_game_against_the_original_format(self):
        with Workdir() as tmp, FakeServer(original_server) as fake:
            game_path = os.path.join(tmp, "game.json")
            rc, out, err = run_client(["-p", str(fake.port), "-b", "19", "-j", game_path]
                                      + FAST)
            self.assertEqual(rc, 0, f"stdout:\n{out}\nstderr:\n{err}")
            self.assertEqual(out.rstrip().splitlines()[-1], "1 passed, 0 failed")
            with open(game_path) as f:
                rec = json.load(f)
            check_record(self, rec)
            # The server's notation and fields travel on unchanged.
            self.assertIsInstance(next(iter(rec["moves"][1].values())), str)
            self.assertEqual(rec["undo_limit"], 5)
            self.assertEqual(fake.requests, len(rec["moves"]) // 2)


if __name__ == "__main__":
    run_tests()
