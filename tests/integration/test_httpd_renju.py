"""gomoku-httpd under "rule": "renju": records with black on a forbidden point
are refused with the move and the reason, legal ones are answered with
black's forbidden points listed, and the AI as black never plays one."""

import json
import os
import random
import tempfile
import unittest

from harness import Daemon, game, http_request, run_binary, run_tests

# After these twelve moves H8 ([7, 7]) is a double three for black: a column
# (rows 5, 6) and a row (columns 5, 6); white plays far away.
TWELVE = [(5, 7), (14, 0), (6, 7), (14, 2), (7, 5), (14, 4), (7, 6), (14, 6),
          (0, 0), (14, 8), (0, 2), (14, 10)]
REASONS = {"overline", "double four", "double three"}


class Renju(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(["-t", "2", "--max-time-ms", "300"], name="renju").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.log.close()

    def play(self, rec):
        status, headers, body = http_request(self.d.port, "POST", "/gomoku/play", rec)
        self.assertEqual(headers.get("content-type"), "application/json")
        return status, json.loads(body)

    def test_forbidden_move_is_refused(self):
        status, doc = self.play(game(TWELVE + [(7, 7)], rule="renju", max_time_ms=50))
        self.assertEqual(status, 400)
        self.assertEqual(doc["error"],
                         "move 13 (H8) is forbidden to black under renju: double three")
        self.assertEqual(doc["field"], "moves[12]")

    def test_same_move_is_fine_under_freestyle(self):
        status, doc = self.play(game(TWELVE + [(7, 7)], rule="freestyle", max_time_ms=50))
        self.assertEqual(status, 200)
        self.assertNotIn("forbidden", doc)

    def test_overline_is_refused(self):
        moves = [(0, 0), (5, 0), (0, 1), (5, 2), (0, 2), (5, 4), (0, 4), (5, 6), (0, 5),
                 (5, 8), (0, 3)]
        status, doc = self.play(game(moves, rule="renju", max_time_ms=50))
        self.assertEqual(status, 400)
        self.assertIn("move 11 (D1) is forbidden to black under renju: overline", doc["error"])

    def test_legal_record_is_answered_with_the_forbidden_points(self):
        # X (human) plays elsewhere; the AI answers as white; black is to move.
        status, doc = self.play(game(TWELVE + [(10, 10)], rule="renju", max_time_ms=100))
        self.assertEqual(status, 200)
        self.assertEqual(doc["rule"], "renju")
        self.assertEqual(len(doc["moves"]), 14)
        self.assertIn("forbidden", doc)
        self.assertEqual(len(doc["forbidden"]), len(doc["forbidden_why"]))
        self.assertTrue(set(doc["forbidden_why"]) <= REASONS)
        taken = {tuple(next(iter(m.values()))) for m in doc["moves"]}
        if (7, 7) not in taken:
            self.assertIn([7, 7], doc["forbidden"])
            self.assertEqual(doc["forbidden_why"][doc["forbidden"].index([7, 7])],
                             "double three")

    def test_compact_records_get_compact_points(self):
        rec = game(TWELVE, x="AI", o="human", rule="renju", max_time_ms=100)
        letters = "ABCDEFGHJKLMNOPQRST"
        for m in rec["moves"]:
            key = next(iter(m))
            r, c = m[key]
            m[key] = f"{letters[c]}{r + 1}"
        # Black (the AI) to move: it must not take H8, and the answer, with
        # white to move, lists nothing.
        status, doc = self.play(rec)
        self.assertEqual(status, 200)
        self.assertNotEqual(doc["moves"][-1]["X (AI)"], "H8")
        self.assertNotIn("forbidden", doc)

    def test_ai_as_black_never_plays_a_forbidden_point(self):
        # The AI plays black against a random white near the stones. Each
        # record goes back with the AI's last move in it, so the daemon's own
        # referee would refuse a forbidden black move with a 400; its append
        # judges the move it plays as well.
        rng = random.Random(12)
        for _ in range(3):
            moves = []
            for _ in range(40):
                status, doc = self.play(game(moves, x="AI", o="human", rule="renju",
                                             max_time_ms=60))
                self.assertEqual(status, 200, doc)
                moves = [tuple(next(iter(m.values()))) for m in doc["moves"]]
                if doc["winner"] != "none":
                    break
                taken = set(moves)
                near = [(r, c) for r in range(15) for c in range(15) if (r, c) not in taken
                        and any(abs(r - a) <= 2 and abs(c - b) <= 2 for a, b in taken)]
                moves.append(rng.choice(near))

    def test_client_plays_renju_games(self):
        # Both modes: the simulated human as black avoids forbidden points,
        # and every reply is judged by the client's replay (the same referee).
        with tempfile.TemporaryDirectory() as tmp:
            for mode, extra in (("human", []), ("ai", ["--time-ms", "20:20"])):
                path = os.path.join(tmp, f"{mode}.json")
                rc, out, err = run_binary(
                    ["-p", str(self.d.port), "--rule", "renju", "--mode", mode, "-g", "4",
                     "--no-progress", "--save-errors", tmp, "-j", path]
                    + (extra or ["--time-ms", "20"]),
                    program="gomoku-http-client", timeout=300)
                self.assertEqual(rc, 0, f"stdout:\n{out}\nstderr:\n{err}")
                self.assertEqual(out.rstrip().splitlines()[-1], "4 passed, 0 failed")
                for g in range(1, 5):
                    with open(os.path.join(tmp, f"{mode}-{g}.json")) as f:
                        self.assertEqual(json.load(f)["rule"], "renju")


if __name__ == "__main__":
    run_tests()
