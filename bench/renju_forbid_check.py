#!/usr/bin/env python3
"""Compares black's forbidden points under renju with another brain's.

Grows random legal renju games move by move (near the stones, black never on
a point either brain calls forbidden, a game ends at a five or at a random
length) and, at every position with black to move, asks both brains for
black's forbidden points with the Yixin-protocol commands

    START 15 / INFO rule 4 / YXBOARD x,y,f ... DONE / YXSHOWFORBID

(answer: "FORBID XXYY....", two-digit x then y, ended by "."). Stones are
sent in playing order, black first, black as field 1 (black is to move, so
both the count rule and the order rule make field 1 black). Every position
where the two lists differ is printed with the board and each point's
difference, and the script exits 1 if there was any.

usage: bench/renju_forbid_check.py ORACLE [--ours bin/pbrain-gomoku]
                                          [--positions 1000] [--seed 1]
                                          [--size 15]
ORACLE is the other brain's executable (run from its own directory, so it
finds its config).
"""

import argparse
import os
import random
import subprocess
import sys
import time


class Brain:
    def __init__(self, path, size):
        self.path = os.path.abspath(path)
        self.proc = subprocess.Popen([self.path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1,
                                     cwd=os.path.dirname(self.path))
        self.send(f"START {size}")
        self.expect("OK")
        self.send("INFO rule 4")

    def send(self, *lines):
        self.proc.stdin.write("".join(line + "\n" for line in lines))
        self.proc.stdin.flush()

    def expect(self, prefix, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.path} exited")
            line = line.strip()
            if line.startswith(prefix):
                return line
            if line.startswith("ERROR"):
                raise RuntimeError(f"{self.path}: {line}")
        raise RuntimeError(f"{self.path}: no {prefix} within {timeout} s")

    def forbidden(self, stones):
        """stones: [(x, y, colour)] in playing order, colour 1 black, 2 white."""
        self.send("YXBOARD", *[f"{x},{y},{c}" for x, y, c in stones], "DONE", "YXSHOWFORBID")
        line = self.expect("FORBID")
        body = line[len("FORBID"):].strip()
        if not body.endswith("."):
            raise RuntimeError(f"{self.path}: malformed answer {line!r}")
        body = body[:-1]
        if len(body) % 4:
            raise RuntimeError(f"{self.path}: malformed answer {line!r}")
        return {(int(body[i:i + 2]), int(body[i + 2:i + 4])) for i in range(0, len(body), 4)}

    def close(self):
        try:
            self.send("END")
            self.proc.wait(timeout=5)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def five(board, size, x, y, colour):
    """True when the stone of colour at x,y makes five: black exactly five,
    white five or more."""
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        n = 1
        for s in (1, -1):
            k = 1
            while 0 <= x + s * k * dx < size and 0 <= y + s * k * dy < size and \
                    board.get((x + s * k * dx, y + s * k * dy)) == colour:
                n += 1
                k += 1
        if n == 5 or (n > 5 and colour == 2):
            return True
    return False


def show(board, size, marks):
    rows = []
    for y in range(size):
        row = ""
        for x in range(size):
            row += marks.get((x, y), ".XO"[board.get((x, y), 0)])
        rows.append(f"{y:2d} {row}")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("oracle")
    ap.add_argument("--ours", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", "bin", "pbrain-gomoku"))
    ap.add_argument("--positions", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=int, default=15)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    size = a.size
    ours, oracle = Brain(a.ours, size), Brain(a.oracle, size)
    compared = with_forbidden = points = disagreements = games = 0
    try:
        while compared < a.positions:
            games += 1
            board, stones = {}, []
            length = rng.randint(10, 90)
            while len(stones) < length:
                colour = 1 if len(stones) % 2 == 0 else 2
                banned = set()
                if colour == 1 and stones:
                    mine, theirs = ours.forbidden(stones), oracle.forbidden(stones)
                    compared += 1
                    with_forbidden += bool(mine or theirs)
                    points += len(mine | theirs)
                    banned = mine | theirs
                    if mine != theirs:
                        disagreements += 1
                        marks = {p: "o" for p in mine - theirs}
                        marks.update({p: "r" for p in theirs - mine})
                        marks.update({p: "*" for p in mine & theirs})
                        print(f"position {compared} (game {games}, {len(stones)} stones): "
                              f"only ours {sorted(mine - theirs)}, only the oracle's "
                              f"{sorted(theirs - mine)}  (o ours, r oracle's, * both)")
                        print("moves: " + " ".join(f"{x},{y}" for x, y, _ in stones))
                        print(show(board, size, marks))
                    if compared >= a.positions:
                        break
                if not stones:
                    x = y = size // 2
                else:
                    near = [(x, y) for x in range(size) for y in range(size)
                            if (x, y) not in board and (x, y) not in banned and
                            any(abs(x - sx) <= 2 and abs(y - sy) <= 2 for sx, sy, _ in stones)]
                    if not near:
                        break
                    x, y = rng.choice(near)
                board[(x, y)] = colour
                stones.append((x, y, colour))
                if five(board, size, x, y, colour):
                    break
    finally:
        ours.close()
        oracle.close()
    print(f"{compared} positions with black to move ({games} games, seed {a.seed}), "
          f"{with_forbidden} with forbidden points, {points} points in all; "
          f"{disagreements} positions disagree")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
