"""Shared by the gomoku-match integration tests (test_match.py,
test_match_faults.py): a scripted fake Gomocup brain, an independent
referee for the JSON lines, and a base class that runs the match runner.
"""

import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest

from harness import binary

RUN_TIMEOUT = 120  # a hang check only: the runs below take seconds

FAKE_BRAIN = r'''#!PYTHON
"""A scripted Gomocup brain for tests: mode in argv[1]."""
import os, signal, sys, time

mode = sys.argv[1]
size = 15
board = {}

def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

def move():
    if mode == "crash":
        sys.exit(3)
    if mode == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "hang":
        time.sleep(3600)
    if mode == "garbage":
        return "hello there"
    if mode == "offboard":
        return "%d,%d" % (size + 5, 3)
    if mode == "occupied" and board:
        x, y = next(iter(board))
        return "%d,%d" % (x, y)
    if mode == "centre" and (size // 2, size // 2) not in board:
        board[(size // 2, size // 2)] = 1
        return "%d,%d" % (size // 2, size // 2)
    # "first" (and "centre" once the centre is taken): the first empty
    # cell, row by row; chatter first.
    say("MESSAGE thinking hard")
    say("DEBUG nothing to see")
    for y in range(size):
        for x in range(size):
            if (x, y) not in board:
                board[(x, y)] = 1
                return "%d,%d" % (x, y)
    return "0,0"

in_board = False
for raw in sys.stdin:
    line = raw.strip()
    word = line.split(" ")[0].upper()
    if in_board:
        if word == "DONE":
            in_board = False
            say(move())
        else:
            x, y, f = (int(v) for v in line.split(","))
            board[(x, y)] = f
        continue
    if word == "START":
        if mode == "nostart":
            time.sleep(3600)
        size = int(line.split()[1])
        board = {}
        # Engines read config files next to them: this one must run there.
        if not os.path.exists("fake-brain.cfg"):
            say("ERROR fake-brain.cfg not found in " + os.getcwd())
        else:
            say("OK")
    elif word == "INFO":
        if line.split()[1] == "game_type":
            say("UNKNOWN INFO game_type is not known here")
    elif word == "BEGIN":
        say(move())
    elif word == "TURN":
        x, y = (int(v) for v in line.split()[1].split(","))
        board[(x, y)] = 2
        say(move())
    elif word == "BOARD":
        board = {}
        in_board = True
    elif word == "END":
        sys.exit(0)
'''


def five_at(stones, x, y, exact):
    """True when the stone at x, y makes a five (exactly five when exact)."""
    color = stones.get((x, y))
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        n = 1
        for sgn in (1, -1):
            cx, cy = x + sgn * dx, y + sgn * dy
            while stones.get((cx, cy)) == color:
                n += 1
                cx, cy = cx + sgn * dx, cy + sgn * dy
        if (n == 5) if exact else (n >= 5):
            return True
    return False


class MatchCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.match = binary("gomoku-match")
        cls.tmp = tempfile.TemporaryDirectory(prefix="test_match_")
        cls.dir = cls.tmp.name
        brain_dir = os.path.join(cls.dir, "brain")
        os.mkdir(brain_dir)
        cls.fake = os.path.join(brain_dir, "fake-brain")
        with open(cls.fake, "w") as f:
            f.write(FAKE_BRAIN.replace("PYTHON", sys.executable, 1))
        os.chmod(cls.fake, os.stat(cls.fake).st_mode | stat.S_IXUSR)
        with open(os.path.join(brain_dir, "fake-brain.cfg"), "w") as f:
            f.write("present\n")
        cls.openings = os.path.join(cls.dir, "openings.txt")
        with open(cls.openings, "w") as f:
            f.write("# two openings\n7,7 8,8 6,8   # white to move\n\n7,7 8,6 5,3 8,8\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_match(self, *args, expect=0):
        """Runs gomoku-match from a directory that is not the brains' own;
        returns (stdout, the JSON lines)."""
        jsonl = os.path.join(self.dir, "games-%d.jsonl" % id(args))
        if os.path.exists(jsonl):
            os.unlink(jsonl)
        p = subprocess.run([self.match, *args, "--jsonl", jsonl], cwd="/",
                           capture_output=True, text=True, timeout=RUN_TIMEOUT)
        self.assertEqual(p.returncode, expect, p.stdout + p.stderr)
        games = []
        if os.path.exists(jsonl):
            with open(jsonl) as f:
                games = [json.loads(line) for line in f]
        return p.stdout, games

    def check_game(self, g, exact, openings=None):
        """Independent replay of one JSON line."""
        size = g["size"]
        k = g["game"] - 1
        self.assertEqual(g["black"], "A" if k % 2 == 0 else "B", g)
        self.assertEqual(g["white"], "B" if k % 2 == 0 else "A", g)
        moves = g["moves"]
        self.assertEqual(len(moves), len(g["times_ms"]))
        if openings:
            self.assertEqual(g["opening"], (k // 2) % len(openings))
            op = openings[g["opening"]]
            self.assertEqual([tuple(m) for m in moves[:len(op)]], op)
            self.assertEqual(g["opening_stones"], len(op))
            self.assertTrue(all(t is None for t in g["times_ms"][:len(op)]))
        n_open = g["opening_stones"]
        self.assertTrue(all(isinstance(t, int) and t >= 0 for t in g["times_ms"][n_open:]), g)
        stones = {}
        for i, (x, y) in enumerate(moves):
            self.assertTrue(0 <= x < size and 0 <= y < size, (g["game"], i, x, y))
            self.assertNotIn((x, y), stones, (g["game"], i))
            stones[(x, y)] = "X" if i % 2 == 0 else "O"
            won = five_at(stones, x, y, exact)
            if i < len(moves) - 1:
                self.assertFalse(won, "game %d: a five at move %d, but the game went on"
                                 % (g["game"], i + 1))
        last_color = "X" if (len(moves) - 1) % 2 == 0 else "O"
        last_side = g["black"] if last_color == "X" else g["white"]
        if g["reason"] == "five":
            self.assertTrue(five_at(stones, *moves[-1], exact))
            self.assertEqual(g["winner"], last_side)
            self.assertEqual(g["result"], "1-0" if last_color == "X" else "0-1")
        elif g["reason"] == "draw":
            self.assertEqual(len(moves), size * size)
            self.assertIsNone(g["winner"])
            self.assertEqual(g["result"], "1/2-1/2")
        else:
            self.fail("game %d ended by %s: %s" % (g["game"], g["reason"], g["detail"]))
        for side in "AB":
            mine = [t for i, t in enumerate(g["times_ms"][n_open:], n_open)
                    if (g["black"] if i % 2 == 0 else g["white"]) == side]
            self.assertEqual(g["time"][side]["moves"], len(mine))
            self.assertEqual(g["time"][side]["total_ms"], sum(mine))
            self.assertEqual(g["time"][side]["max_ms"], max(mine, default=0))

