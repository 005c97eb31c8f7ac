#!/usr/bin/env python3
"""Integration tests of bin/gomoku-match, the match runner: real engines.

bin/pbrain-gomoku against bin/pbrain-minimax, a few games two at once, with
node and depth limits (and a long turn time) so that the games are short and
nothing depends on the machine's speed. Every JSON line is checked by an
independent replay (match_common.py): legal moves, the result the rules
give, colours alternating, openings in order. Also: the brains' working
directory, an SPRT that must stop at the game computed here, and bad
command lines. Faults (illegal moves, crashes, silence) are in
test_match_faults.py.
"""

import math
import os
import subprocess

from harness import binary, run_tests
from match_common import RUN_TIMEOUT, MatchCase


class MatchTest(MatchCase):
    def test_real_engines_standard_rule_two_at_once(self):
        gomoku, minimax = binary("pbrain-gomoku"), binary("pbrain-minimax")
        out, games = self.run_match(
            "-a", gomoku, "-b", minimax, "-n", "4", "-c", "2", "--rule", "standard",
            "-o", self.openings, "-t", "30000", "--cmd-a", "INFO max_node 3000",
            "--cmd-b", "INFO max_depth 2")
        self.assertEqual(sorted(g["game"] for g in games), [1, 2, 3, 4])
        openings = [[(7, 7), (8, 8), (6, 8)], [(7, 7), (8, 6), (5, 3), (8, 8)]]
        for g in games:
            self.assertEqual(g["rule"], "standard")
            self.assertEqual(g["engines"], {"A": gomoku, "B": minimax})
            self.check_game(g, exact=True, openings=openings)
        wins = sum(g["winner"] == "A" for g in games)
        losses = sum(g["winner"] == "B" for g in games)
        self.assertIn("Score of A vs B: %d - %d - %d" % (wins, losses, 4 - wins - losses), out)
        self.assertIn("Elo (A - B):", out)
        self.assertIn("Pairs (A scores 0, 1/2, 1, 3/2, 2):", out)

    def test_real_engines_freestyle_empty_board(self):
        gomoku, minimax = binary("pbrain-gomoku"), binary("pbrain-minimax")
        _, games = self.run_match(
            "-a", minimax, "-b", gomoku, "-n", "2", "-c", "2", "-t", "30000",
            "--cmd-a", "INFO max_depth 2", "--cmd-b", "INFO max_node 3000")
        self.assertEqual(sorted(g["game"] for g in games), [1, 2])
        for g in games:
            self.assertEqual(g["rule"], "freestyle")
            self.assertIsNone(g["opening"])
            self.check_game(g, exact=False)

    def test_working_directory_is_the_engines(self):
        # The fake answers START with ERROR when its config file is not in
        # its working directory; both sides here are fakes run from "/".
        _, games = self.run_match("-a", self.fake + " first", "-b", self.fake + " first",
                                  "-n", "1", "-t", "20000")
        self.assertEqual(len(games), 1)
        for g in games:
            self.check_game(g, exact=False)

    def test_sprt_stops_early(self):
        # Two "first empty cell" brains: black always completes the
        # anti-diagonal 4,0 .. 0,4 at move 61, so A and B win alternately; with
        # elo0 100, elo1 350 the trinomial GSPRT must accept H0 at the game
        # where the LLR, computed here from the published formula, first
        # falls below log(beta / (1 - alpha)).
        out, games = self.run_match("-a", self.fake + " first", "-b", self.fake + " first",
                                    "-n", "100", "-t", "20000", "--sprt", "100,350,0.2,0.2",
                                    "--sprt-model", "trinomial", "-q")
        score = lambda e: 1 / (1 + 10 ** (-e / 400))
        s0, s1, lower = score(100), score(350), math.log(0.2 / 0.8)
        w = l = 0
        expected = None
        for n in range(1, 101):
            if n % 2:
                w += 1
            else:
                l += 1
            s = w / n
            var = s * (1 - s)
            llr = n * (s1 - s0) * (2 * s - s0 - s1) / (2 * var) if var > 0 else 0
            if llr <= lower:
                expected = n
                break
        self.assertIsNotNone(expected)
        self.assertLess(expected, 10)  # early indeed: 6 games
        self.assertEqual(len(games), expected, out)
        for g in games:
            self.assertEqual(len(g["moves"]), 61)
            self.assertEqual(g["winner"], g["black"])
            self.check_game(g, exact=False)
        self.assertIn("H0 accepted", out)
        self.assertNotIn("game 1/", out)  # -q: no line per game

    def test_bad_arguments(self):
        cases = [
            ([], "engine A is missing"),
            (["-a", self.fake], "engine B is missing"),
            (["-a", self.fake, "-b", "/nonexistent/brain"], "-b: '/nonexistent/brain' is not an executable file"),
            (["-a", self.fake, "-b", self.fake, "-t", "fast"], "--time: 'fast' is not an integer"),
            (["-a", self.fake, "-b", self.fake, "-c", "0"], "--concurrency: 0 is out of range"),
            (["-a", self.fake, "-b", self.fake, "--rule", "gomoku"], "unknown rule 'gomoku'"),
            (["-a", self.fake, "-b", self.fake, "--sprt", "0,10"], "--sprt:"),
            (["-a", self.fake, "-b", self.fake, "--frobnicate"], "unknown option --frobnicate"),
            (["-a", self.fake, "-b", self.fake, "-o", "/nonexistent.txt"], "/nonexistent.txt"),
            (["-a", self.fake, "-b", self.fake, "extra"], "unexpected argument 'extra'"),
        ]
        bad_openings = os.path.join(self.dir, "bad-openings.txt")
        with open(bad_openings, "w") as f:
            f.write("7,7 8,8\n0,0 1,0 0,1 2,0 0,2 3,0 0,3 4,0 0,4\n")
        cases.append((["-a", self.fake, "-b", self.fake, "-o", bad_openings],
                      "bad-openings.txt:2: the opening already has a five at stone 0,4"))
        for args, needle in cases:
            p = subprocess.run([self.match, *args], capture_output=True, text=True,
                               timeout=RUN_TIMEOUT)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(needle, p.stderr, args)
        p = subprocess.run([self.match, "--help"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        for flag in ("--engine-a", "--concurrency", "--openings", "--time-a", "--grace-ms",
                     "--sprt", "--jsonl", "--rule"):
            self.assertIn(flag, p.stdout)



if __name__ == "__main__":
    run_tests()
