#!/usr/bin/env python3
"""Integration tests of bin/gomoku-match: brains that misbehave.

The fake brain of match_common.py, run in its own directory: one plays an
occupied cell, one plays off the board, one answers garbage, one exits, one
is killed, one never answers a move, one never answers START, one plays a
point that renju forbids to black. Each must lose with the right reason, and the runner must never hang (every run is
bounded by RUN_TIMEOUT).
"""

import os
import subprocess

from harness import run_tests
from match_common import MatchCase


class MatchFaultsTest(MatchCase):
    def fake_loses(self, mode, reason, needle, *extra, time_b="20000"):
        # Long turns, so that a loaded machine never turns a fault into a
        # time loss; only the silent brain gets a short one.
        out, games = self.run_match("-a", self.fake + " first", "-b", self.fake + " " + mode,
                                    "-n", "2", "-c", "2", "--time-a", "20000", "--time-b", time_b,
                                    "--grace-ms", "300", *extra)
        self.assertEqual(sorted(g["game"] for g in games), [1, 2], out)
        for g in games:
            self.assertEqual(g["winner"], "A", g)
            self.assertEqual(g["reason"], reason, g)
            self.assertIn(needle, g["detail"], g)
            self.assertEqual(g["result"], "1-0" if g["black"] == "A" else "0-1")
        self.assertIn("Score of A vs B: 2 - 0 - 0", out)
        return games

    def test_fake_occupied_cell_loses(self):
        games = self.fake_loses("occupied", "illegal", "is occupied")
        for g in games:
            # The illegal move is not recorded; what was played replays.
            self.assertEqual(len(set(map(tuple, g["moves"]))), len(g["moves"]))

    def test_fake_off_board_loses(self):
        self.fake_loses("offboard", "illegal", "20,3 is off the 15x15 board")

    def test_fake_garbage_answer_loses(self):
        self.fake_loses("garbage", "illegal", "'hello there', not x,y")

    def test_fake_exit_is_a_crash(self):
        self.fake_loses("crash", "crash", "exited with status 3")

    def test_fake_killed_is_a_crash(self):
        self.fake_loses("killed", "crash", "killed by signal 9")

    def test_fake_silence_loses_on_time(self):
        games = self.fake_loses("hang", "timeout", "did not answer move", time_b="200")
        for g in games:
            self.assertIn("within 200 + 300 ms", g["detail"])
        # The hung brain was killed: nothing of this test is left running.
        p = subprocess.run(["pgrep", "-f", self.fake + " hang"], capture_output=True)
        self.assertNotEqual(p.returncode, 0, p.stdout)

    def test_renju_forbidden_point_loses(self):
        # Black to move with open twos crossing at the centre: 7,7 makes two
        # open threes, a double three, which renju forbids to black.
        openings = os.path.join(self.dir, "double-three.txt")
        with open(openings, "w") as f:
            f.write("7,5 0,0 7,6 0,2 5,7 0,4 6,7 0,6\n")
        out, games = self.run_match("-a", self.fake + " centre", "-b", self.fake + " centre",
                                    "-n", "2", "-c", "2", "-t", "20000", "--rule", "renju",
                                    "-o", openings)
        self.assertEqual(sorted(g["game"] for g in games), [1, 2], out)
        for g in games:
            self.assertEqual(g["rule"], "renju", g)
            self.assertEqual(g["winner"], g["white"], g)
            self.assertEqual(g["reason"], "illegal", g)
            self.assertIn("7,7 is forbidden to black under renju: double three", g["detail"])
        self.assertIn("Score of A vs B: 1 - 1 - 0", out)

    def test_fake_silent_start_loses(self):
        self.fake_loses("nostart", "start", "did not answer START within 5000 ms",
                        "--start-ms", "5000")


if __name__ == "__main__":
    run_tests()
