#!/usr/bin/env python3
"""bench/evaltrain/gen_positions: self-play positions and walks.

Every printed position must be legal (stones on the board, no cell twice,
no five on the board), a walk must extend the position it follows by 1 to K
moves, runs must repeat exactly for a seed, and bad options must be
refused with exit status 2."""

import os
import subprocess
import tempfile
import unittest

from harness import binary, run_tests

GEN = binary("gen_positions")


def parse(line):
    words = line.split()
    rule, size = int(words[0]), int(words[1])
    stones = [tuple(int(v) for v in w.split(",")) for w in words[2:]]
    return rule, size, stones


def has_five(size, stones):
    """True when either colour has five or more in a row."""
    cells = {}
    for i, (x, y) in enumerate(stones):
        cells[(x, y)] = i % 2
    for (x, y), colour in cells.items():
        for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
            n = 1
            while cells.get((x + n * dx, y + n * dy)) == colour:
                n += 1
            if n >= 5:
                return True
    return False


def run(*args):
    return subprocess.run([GEN, *args], capture_output=True, text=True, timeout=120)


class GenPositions(unittest.TestCase):
    def check_legal(self, line):
        rule, size, stones = parse(line)
        self.assertIn(rule, (0, 1))
        self.assertEqual(size, 15)
        self.assertEqual(len(set(stones)), len(stones), line)
        for x, y in stones:
            self.assertTrue(0 <= x < size and 0 <= y < size, line)
        self.assertFalse(has_five(size, stones), line)

    def test_games_with_walks(self):
        out = run("--games", "3", "--nodes", "2000", "--seed", "5", "--walk", "3",
                  "--rule", "standard")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertGreater(len(lines), 20)
        for line in lines:
            self.check_legal(line)
        # Game positions grow by one stone within a game; a walk line
        # follows the position it extends, 1 to 3 stones longer, with the
        # same stones first.
        walks = 0
        for prev, line in zip(lines, lines[1:]):
            a, b = parse(prev)[2], parse(line)[2]
            if len(b) > len(a) + 1 and b[:len(a)] == a:
                self.assertLessEqual(len(b) - len(a), 3)
                walks += 1
        self.assertGreater(walks, 3)
        again = run("--games", "3", "--nodes", "2000", "--seed", "5", "--walk", "3",
                    "--rule", "standard")
        self.assertEqual(again.stdout, out.stdout)

    def test_walks_from_file(self):
        start = ["0 15 7,7 8,8 7,8", "1 15 7,7 8,7 6,6 9,8 5,5"]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "pos.txt")
            with open(path, "w") as f:
                f.write("\n".join(start) + "\n")
            out = run("--walk", "4", "--from", path, "--seed", "9")
            self.assertEqual(out.returncode, 0, out.stderr)
            lines = out.stdout.splitlines()
            self.assertEqual(len(lines), 2)
            for s, line in zip(start, lines):
                self.check_legal(line)
                rule0, _, a = parse(s)
                rule1, _, b = parse(line)
                self.assertEqual(rule0, rule1)
                self.assertEqual(b[:len(a)], a)
                self.assertTrue(1 <= len(b) - len(a) <= 4, line)
            self.assertEqual(run("--walk", "4", "--from", path, "--seed", "9").stdout,
                             out.stdout)
            # A walk does not go through a five: a position where black can
            # make five at once gives no line (the walk would have to stop
            # at the five or ignore it).
            with open(path, "w") as f:
                f.write("0 15 0,0 14,14 1,0 14,13 2,0 14,12 3,0 13,14\n")
            out = run("--walk", "2", "--from", path, "--seed", "1")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout, "")

    def test_bad_options(self):
        for args in (["--walk", "-1"], ["--from", "/nonexistent"],
                     ["--games", "0"], ["--nodes", "5"], ["--walk"]):
            out = run(*args)
            self.assertEqual(out.returncode, 2, args)
            self.assertIn("gen_positions", out.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "pos.txt")
            for bad in ("0 15 7,7 7,7", "0 15 7,7 15,3", "9 15 7,7", "0 15 7,7 x"):
                with open(path, "w") as f:
                    f.write("0 15 7,7 8,8\n" + bad + "\n")
                out = run("--walk", "2", "--from", path)
                self.assertEqual(out.returncode, 1, bad)
                self.assertIn("pos.txt:2: not '<rule> <size> x,y ...'", out.stderr)
                self.assertEqual(len(out.stdout.splitlines()), 1, bad)
        out = run("--walk", "2", "--from", "/nonexistent/pos.txt")
        self.assertEqual(out.returncode, 1)
        self.assertIn("/nonexistent/pos.txt", out.stderr)


if __name__ == "__main__":
    run_tests()
