"""gomoku-httpd: POST /gomoku/analyze (multi-PV ranking, proven results,
validation, budgets, determinism, 503) and the levels of POST /gomoku/play
(seeded variation, fives taken and blocked, bad inputs refused).

Determinism is asked for the documented way: a node budget and no time
("nodes" without "max_time_ms" or "timeout"), so no assertion depends on
the clock."""

import json
import re
import threading
import unittest

from harness import Daemon, get_json, http_request, run_tests, wait_until

# A balanced middle game, X to move (compact cells); after five moves, O to
# move.
MIDDLE = ["H8", "J9", "G8", "J8", "J7", "G9"]


def ai(**budget):
    return dict({"player": "AI"}, **budget)


def human(**budget):
    return dict({"player": "human"}, **budget)


def record(moves, x=None, o=None, **top):
    """A record of moves (compact cells or [row, col]) played X, O, X, ...;
    x and o are the players' objects (default human X, AI O); top-level keys
    in top."""
    x = x or {"player": "human"}
    o = o or {"player": "AI"}
    rec = {"X": x, "O": o, "board_size": 15, "moves": []}
    for i, cell in enumerate(moves):
        side = "X" if i % 2 == 0 else "O"
        kind = (x if side == "X" else o)["player"]
        rec["moves"].append({f"{side} ({kind})": cell})
    rec.update(top)
    return rec


def rows_to_moves(rows, to_move):
    """[row, col] moves for a position drawn with X/O/. rows, alternating
    from X, so that to_move ("X" or "O") moves next (padding with far-away
    stones of the side that has fewer)."""
    xs = [[r, c] for r, line in enumerate(rows) for c, ch in enumerate(line) if ch == "X"]
    os_ = [[r, c] for r, line in enumerate(rows) for c, ch in enumerate(line) if ch == "O"]
    moves = []
    for i in range(max(len(xs), len(os_))):
        if i < len(xs):
            moves.append(xs[i])
        if i < len(os_):
            moves.append(os_[i])
    assert len(xs) == len(os_) + (1 if to_move == "O" else 0), "unbalanced drawing"
    return moves


def cell_key(cell):
    return tuple(cell) if isinstance(cell, list) else cell


class Analyze(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(["-t", "1", "-q", "1", "--max-time-ms", "4000"], name="analyze").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.log.close()

    def post(self, path, rec):
        status, headers, body = http_request(self.d.port, "POST", path, rec, timeout=60)
        return status, headers, json.loads(body) if body else None

    def analyze(self, rec, status=200):
        got, headers, doc = self.post("/gomoku/analyze", rec)
        self.assertEqual(got, status, doc)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(headers.get("access-control-allow-origin"), "*")
        return doc

    def check_shape(self, doc, rec, top, depth=None):
        a = doc["analysis"]
        for key in ("to_move", "depth", "nodes", "time_ms", "proven", "moves", "queue_ms",
                    "winner"):
            self.assertIn(key, a)
        self.assertEqual(a["to_move"], "X" if len(rec["moves"]) % 2 == 0 else "O")
        taken = {cell_key(next(v for k, v in m.items() if "(" in k)) for m in rec["moves"]}
        moves = a["moves"]
        self.assertTrue(1 <= len(moves) <= top)
        seen = set()
        for i, m in enumerate(moves):
            for key in ("move", "score", "win_probability", "depth", "pv"):
                self.assertIn(key, m)
            key = cell_key(m["move"])
            self.assertNotIn(key, taken)
            self.assertNotIn(key, seen)
            seen.add(key)
            self.assertEqual(cell_key(m["pv"][0]), key)
            self.assertTrue(0.0 <= m["win_probability"] <= 1.0)
            if depth is not None and abs(m["score"]) < 29000:
                # A proven line's depth is the length of its proof.
                self.assertLessEqual(m["depth"], depth)
            if i > 0:
                # Best first: scores and probabilities never rise.
                self.assertLessEqual(m["score"], moves[i - 1]["score"])
                self.assertLessEqual(m["win_probability"], moves[i - 1]["win_probability"])
        return a

    def test_top_three_ranked_best_first(self):
        rec = record(MIDDLE, x=ai(depth=4, nodes=400000), top=3)
        a = self.check_shape(self.analyze(rec), rec, 3, depth=4)
        self.assertEqual(len(a["moves"]), 3)
        self.assertEqual(a["depth"], 4)
        self.assertEqual(a["proven"], "none")
        # Cells in the record's notation: compact here, arrays for arrays.
        self.assertIsInstance(a["moves"][0]["move"], str)
        rec = record([[7, 7], [8, 8], [7, 8]], o={"player": "AI", "nodes": 20000}, top=2)
        a = self.check_shape(self.analyze(rec), rec, 2)
        self.assertIsInstance(a["moves"][0]["move"], list)

    def test_deterministic_and_first_move_is_plays(self):
        for depth in (3, 5):
            budget = ai(depth=depth, nodes=2000000)
            rec = record(MIDDLE, x=budget, top=4)
            first = self.analyze(rec)["analysis"]
            second = self.analyze(rec)["analysis"]
            for key in ("moves", "nodes", "depth", "proven"):
                self.assertEqual(first[key], second[key], key)
            self.assertEqual(len(first["moves"]), 4)
            status, _, played = self.post("/gomoku/play", record(MIDDLE, x=budget))
            self.assertEqual(status, 200)
            move = played["moves"][-1]
            self.assertEqual(move["X (AI)"], first["moves"][0]["move"])
            self.assertEqual(move["score"], first["moves"][0]["score"])
            # top = 1 is the plain search, node for node.
            one = self.analyze(record(MIDDLE, x=budget, top=1))["analysis"]
            self.assertEqual(one["nodes"], move["nodes"])
            self.assertEqual(one["moves"], first["moves"][:1])

    def test_analysis_for_a_human_to_move_appends_nothing(self):
        rec = record(MIDDLE[:5], x=ai(), o=human(nodes=30000), top=2)
        a = self.check_shape(self.analyze(rec), rec, 2)
        self.assertEqual(a["to_move"], "O")
        self.assertNotIn("board_state", self.analyze(rec))
        # Without "top", one move.
        del rec["top"]
        self.assertEqual(len(self.analyze(rec)["analysis"]["moves"]), 1)

    def test_budgets(self):
        for nodes in (500, 5000, 50000):
            rec = record(MIDDLE, x=ai(nodes=nodes), top=3)
            a = self.check_shape(self.analyze(rec), rec, 3)
            self.assertLessEqual(a["nodes"], nodes)
        for depth in (1, 2, 3):
            rec = record(MIDDLE, x=ai(depth=depth, nodes=1000000), top=3)
            a = self.check_shape(self.analyze(rec), rec, 3, depth=depth)
            self.assertEqual(a["depth"], depth)
        # A time budget is honoured as for a move (the answer comes, ranked).
        rec = record(MIDDLE, x=ai(max_time_ms=150), top=3)
        self.check_shape(self.analyze(rec), rec, 3)

    def test_proven_win_and_loss(self):
        rows = ["...............", "...............", "....XXX........",
                "...............", "...............", ".O...........O.",
                "...............", ".......O......."]
        # X to move with an open three: an open four, then five: win in 2.
        rec = record(rows_to_moves(rows, "X"), o={"player": "AI"},
                     x={"player": "human", "depth": 4, "nodes": 200000}, top=2)
        a = self.analyze(rec)["analysis"]
        self.assertEqual(a["proven"], "win in 2")
        self.assertEqual(a["moves"][0]["win_probability"], 1.0)
        self.assertIn(cell_key(a["moves"][0]["move"]), {(2, 3), (2, 7)})
        # X to move with a four: five now.
        rows4 = ["...............", "...............", "....XXXX.......",
                 "....OOO........", "..........O...."]
        rec = record(rows_to_moves(rows4, "X"), x={"player": "human", "nodes": 20000})
        self.assertEqual(self.analyze(rec)["analysis"]["proven"], "win in 1")
        # O to move against an open four: lost, X fives on its next move.
        rows_loss = ["...............", "...............", ".....XXXX......",
                     "....OOO........", "..........O....", "...............",
                     "......X........"]
        rec = record(rows_to_moves(rows_loss, "O"), o={"player": "AI", "nodes": 20000}, top=3)
        a = self.analyze(rec)["analysis"]
        self.assertEqual(a["proven"], "loss in 1")
        self.assertEqual(a["moves"][0]["win_probability"], 0.0)

    def test_finished_game(self):
        rows = ["...............", "....XXXXX......", "....OOOO......."]
        rec = record(rows_to_moves(rows, "O"), top=3)
        a = self.analyze(rec)["analysis"]
        self.assertEqual(a["winner"], "X")
        self.assertEqual(a["moves"], [])
        self.assertEqual(a["proven"], "none")

    def test_validation(self):
        base = record(MIDDLE, x=ai(nodes=1000))
        for top, field in ((0, "top"), (11, "top"), ("3", "top"), (2.5, "top"), (-1, "top")):
            rec = dict(base, top=top)
            doc = self.analyze(rec, status=400)
            self.assertEqual(doc["field"], field, top)
        self.assertIn("from 1 to 10", self.analyze(dict(base, top=11), status=400)["error"])
        # The record is checked exactly as for a move.
        cases = [
            ({"O": {"player": "AI"}, "moves": []}, "X"),
            (dict(base, board_size=4), "board_size"),
            (record(["H8", "H8"]), "moves[1]"),
            (record(MIDDLE, x=ai(), o=ai(nodes=0)), "O.nodes"),
            (record(MIDDLE, x=ai(level=11)), "X.level"),
            (record(MIDDLE, x=ai(), o=human(level=3)), "O.level"),
            (dict(base, seed=-1), "seed"),
        ]
        for rec, field in cases:
            doc = self.analyze(rec, status=400)
            self.assertEqual(doc["field"], field, rec)
            status, _, played = self.post("/gomoku/play", rec)
            self.assertEqual((status, played["field"]), (400, field))
        status, _, body = http_request(self.d.port, "POST", "/gomoku/analyze", b"{")
        self.assertEqual(status, 400)
        self.assertIn("invalid JSON", json.loads(body)["error"])
        status, headers, _ = http_request(self.d.port, "GET", "/gomoku/analyze")
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("allow"), "POST, OPTIONS")
        status, headers, _ = http_request(self.d.port, "OPTIONS", "/gomoku/analyze")
        self.assertEqual(status, 204)
        status, _, _ = http_request(self.d.port, "POST", "/gomoku/analyze", b"<a/>",
                                    headers={"Content-Type": "application/xml"})
        self.assertEqual(status, 415)

    def test_metrics_and_logs(self):
        rec = record(MIDDLE, x=ai(nodes=3000), top=2)
        self.analyze(rec)
        _, _, body = http_request(self.d.port, "GET", "/metrics")
        self.assertRegex(body.decode(),
                         r'gomoku_http_requests_total\{route="analyze",code="200"\} [1-9]')
        access = r"access client=127\.0\.0\.1 .*path=/gomoku/analyze status=200"
        wait_until(lambda: re.search(access, self.d.read_log()), what="the access line")
        self.assertRegex(self.d.read_log(), r"analysis side=X best=[A-Z]\d+ lines=2 depth=\d+")


class FullQueue(unittest.TestCase):
    """Analyses take a search thread and a queue place like moves. The two
    that fill the server hold them far longer than the test needs (an
    analysis's first line may stop after a quarter of its budget, so a
    short budget could free the thread before the third request arrives);
    a drain then stops them at their best move, and both are still
    answered 200."""

    HOLD_MS = 120000

    def test_503_when_full(self):
        d = Daemon(["-t", "1", "-q", "1", "--max-time-ms", str(self.HOLD_MS), "--drain-ms", "200"],
                   name="analyze-full").start()
        slow = record(MIDDLE, x=ai(max_time_ms=self.HOLD_MS), top=3)
        answers = []

        def send():
            answers.append(http_request(d.port, "POST", "/gomoku/analyze", slow, timeout=60)[0])

        threads = [threading.Thread(target=send) for _ in range(2)]
        try:
            for t in threads:
                t.start()
            wait_until(lambda: get_json(d.port, "/health")[1]["queued"] == 1,
                       what="a full queue")
            play = record(MIDDLE, x=ai(max_time_ms=3000))
            for path, rec in (("/gomoku/analyze", slow), ("/gomoku/play", play)):
                status, headers, body = http_request(d.port, "POST", path, rec, timeout=10)
                self.assertEqual(status, 503, path)
                self.assertGreaterEqual(int(headers["retry-after"]), 1)
                self.assertIn("queue is full", json.loads(body)["error"])
        finally:
            d.stop()
            d.log.close()
            for t in threads:
                t.join(60)
        self.assertEqual(answers, [200, 200])


# O to move: O has a four (five at (2,4) or (2,9)) and X a broken four (five
# at (3,7)). From level 3 the five is taken.
FIVE_ROWS = ["...............", "...............", ".....OOOO......",
             "....XXX.X......", "...............", "...............",
             "............X.."]
# O to move: X has a closed four (O at (2,3)), five at (2,8). From level 3
# it is blocked.
BLOCK_ROWS = ["...............", "...............", "...OXXXX.......",
              "....OO.........", "..........O....", "...............",
              "......X........"]


class Levels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(["-t", "2", "--max-time-ms", "2000"], name="levels").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.log.close()

    def play(self, rec, status=200):
        got, _, body = http_request(self.d.port, "POST", "/gomoku/play", rec, timeout=60)
        doc = json.loads(body)
        self.assertEqual(got, status, doc)
        return doc

    def ai_move(self, rec):
        doc = self.play(rec)
        return cell_key(doc["moves"][-1]["O (AI)"]), doc

    def test_same_seed_same_move_and_seeds_vary(self):
        for level in (1, 4, 9):
            moves = set()
            for seed in range(8):
                rec = record(MIDDLE[:5], o={"player": "AI", "level": level}, seed=seed)
                m1, doc = self.ai_move(rec)
                m2, _ = self.ai_move(rec)
                self.assertEqual(m1, m2, (level, seed))
                self.assertEqual(doc["seed"], seed)
                self.assertEqual(doc["O"]["level"], level)
                moves.add(m1)
            if level < 9:
                self.assertGreater(len(moves), 1, f"level {level} never varies")

    def test_level_ten_is_full_strength(self):
        ai = {"player": "AI", "depth": 4, "nodes": 300000}
        full, _ = self.ai_move(record(MIDDLE[:5], o=ai))
        ten, _ = self.ai_move(record(MIDDLE[:5], o=dict(ai, level=10), seed=3))
        self.assertEqual(full, ten)

    def test_five_taken_and_blocked_from_level_three(self):
        five = rows_to_moves(FIVE_ROWS, "O")
        block = rows_to_moves(BLOCK_ROWS, "O")
        for level in range(3, 10):
            for seed in range(4):
                m, doc = self.ai_move(record(five,
                                             o={"player": "AI", "level": level}, seed=seed))
                self.assertIn(m, {(2, 4), (2, 9)}, (level, seed))
                self.assertEqual(doc["winner"], "O")
                m, _ = self.ai_move(record(block,
                                           o={"player": "AI", "level": level}, seed=seed))
                self.assertEqual(m, (2, 8), (level, seed))

    def test_bad_levels_and_seeds_refused(self):
        cases = [
            ({"player": "AI", "level": 0}, {}, "O.level", "from 1 to 10"),
            ({"player": "AI", "level": 11}, {}, "O.level", "from 1 to 10"),
            ({"player": "AI", "level": "5"}, {}, "O.level", "an integer"),
            ({"player": "AI", "level": 2.5}, {}, "O.level", "an integer"),
            ({"player": "AI"}, {"seed": -1}, "seed", "from 0 to 9007199254740991"),
            ({"player": "AI"}, {"seed": 2 ** 53}, "seed", "from 0"),
            ({"player": "AI"}, {"seed": "x"}, "seed", "an integer"),
            ({"player": "AI"}, {"seed": 1.5}, "seed", "an integer"),
        ]
        for o, top, field, words in cases:
            doc = self.play(record(MIDDLE[:5], o=o, **top), status=400)
            self.assertEqual(doc["field"], field, (o, top))
            self.assertIn(words, doc["error"])
        doc = self.play(record(MIDDLE[:5], x={"player": "human", "level": 3}), status=400)
        self.assertEqual(doc["field"], "X.level")
        self.assertIn("for an AI player", doc["error"])


if __name__ == "__main__":
    run_tests()
