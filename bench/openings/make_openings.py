#!/usr/bin/env python3
"""make_openings.py: balanced openings for gomoku-match, labelled by an engine.

Draws random openings of 3 or 4 stones near the centre of the board (black
first, stones within --radius of the centre, no two openings equal up to the
board's 8 symmetries), asks a Gomocup engine given by path to search each
for --time ms, and keeps those whose evaluation for the side to move is
within +-max-eval. The evaluation is read from the engine's MESSAGE lines
with --eval-regex (default: "Eval N", as printed by Rapfi). Writes the
openings file that gomoku-match -o reads: one opening per line, stones
"x,y" (x = column, y = row, 0-based), black first, with the evaluation as a
comment.

Python 3 standard library only. Deterministic in the openings it draws
(--seed); which are kept depends on the engine's searches.

usage: make_openings.py --engine PATH [--count 80] [--time 500] [--max-eval 80]
                        [--rule 1] [--size 15] [--radius 3] [--seed 1] [--out FILE]
"""

import argparse
import os
import queue
import random
import re
import subprocess
import sys
import threading
import time


class Engine:
    def __init__(self, path):
        path = os.path.abspath(path)
        self.proc = subprocess.Popen([path], cwd=os.path.dirname(path), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\r\n"))
        self.lines.put(None)

    def send(self, *lines):
        self.proc.stdin.write("".join(line + "\n" for line in lines))
        self.proc.stdin.flush()

    def until(self, accept, timeout):
        """Lines up to and including the first one accept() takes."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("the engine did not answer within %.1f s; it said: %s"
                                   % (timeout, " | ".join(seen[-30:])))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError("the engine exited")
            seen.append(line)
            if accept(line):
                return seen

    def close(self):
        try:
            self.send("END")
            self.proc.wait(timeout=5)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def symmetries(stones, size):
    n = size - 1
    maps = [lambda x, y: (x, y), lambda x, y: (n - x, y), lambda x, y: (x, n - y),
            lambda x, y: (n - x, n - y), lambda x, y: (y, x), lambda x, y: (n - y, x),
            lambda x, y: (y, n - x), lambda x, y: (n - y, n - x)]
    return [tuple(f(x, y) for x, y in stones) for f in maps]


def canonical(stones, size):
    """The same key for an opening and its mirror images (same stones per colour)."""
    keys = []
    for s in symmetries(stones, size):
        black = tuple(sorted(s[0::2]))
        white = tuple(sorted(s[1::2]))
        keys.append((black, white))
    return min(keys)


def draw_opening(rng, size, radius):
    c = size // 2
    n = rng.choice([3, 4])
    stones = []
    while len(stones) < n:
        p = (rng.randint(c - radius, c + radius), rng.randint(c - radius, c + radius))
        if p not in stones:
            stones.append(p)
    return stones


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", required=True, help="path of a Gomocup engine that prints its "
                    "evaluation in MESSAGE lines; it runs in its own directory")
    ap.add_argument("--count", type=int, default=80, help="openings to keep (default 80)")
    ap.add_argument("--time", type=int, default=500, help="ms per search (default 500)")
    ap.add_argument("--max-eval", type=int, default=80,
                    help="keep |evaluation| <= this, engine units (default 80)")
    ap.add_argument("--rule", type=int, default=1, choices=[0, 1],
                    help="INFO rule for the search: 0 freestyle, 1 exactly five (default)")
    ap.add_argument("--size", type=int, default=15, help="board size (default 15)")
    ap.add_argument("--radius", type=int, default=3,
                    help="stones within this many cells of the centre (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--max-tries", type=int, default=2000, help="give up after this many draws")
    ap.add_argument("--eval-regex", default=r"\bEval (-?\d+)\b",
                    help="regex with one group: the evaluation in a MESSAGE line")
    ap.add_argument("--out", help="output file (default: stdout)")
    args = ap.parse_args()

    eval_re = re.compile(args.eval_regex)
    rng = random.Random(args.seed)
    about = "unknown engine"
    kept, seen, tries, evals, restarts = [], set(), 0, [], 0

    def start_engine():
        e = Engine(args.engine)
        e.send("START %d" % args.size)
        e.until(lambda l: l == "OK" or l.startswith("ERROR"), 60)
        e.send("ABOUT")
        text = e.until(lambda l: "name=" in l, 10)[-1]
        e.send("INFO timeout_turn %d" % args.time, "INFO timeout_match 0",
               "INFO rule %d" % args.rule)
        return e, text

    engine, about = start_engine()
    try:
        while len(kept) < args.count and tries < args.max_tries:
            tries += 1
            stones = draw_opening(rng, args.size, args.radius)
            key = canonical(stones, args.size)
            if key in seen:
                continue
            seen.add(key)
            # The side to move gets its own stones as 1, the opponent's as 2.
            mover = len(stones) % 2  # 0: black to move
            board = ["%d,%d,%d" % (x, y, 1 if i % 2 == mover else 2)
                     for i, (x, y) in enumerate(stones)]
            text = " ".join("%d,%d" % p for p in stones)
            try:
                engine.send("BOARD", *board, "DONE")
                out = engine.until(lambda l: re.fullmatch(r"\d+,\d+", l) is not None,
                                   args.time / 1000 + 30)
            except (RuntimeError, OSError) as failure:
                # An engine that fails is restarted; the opening is skipped.
                restarts += 1
                print("%s -> engine failure (%s), restarting it" % (text, failure),
                      file=sys.stderr)
                if restarts > 10:
                    raise
                engine.close()
                engine, about = start_engine()
                continue
            # Some engines still wind their search down after answering and
            # drop a command that arrives meanwhile: let them settle.
            time.sleep(0.3)
            values = [int(m.group(1)) for l in out if l.startswith("MESSAGE")
                      for m in [eval_re.search(l)] if m]
            if not values:
                continue  # e.g. a mate score: not balanced
            value = values[-1]
            print("%s -> %+d%s" % (text, value, " kept" if abs(value) <= args.max_eval else ""),
                  file=sys.stderr)
            if abs(value) <= args.max_eval:
                kept.append((stones, value))
                evals.append(value)
    finally:
        engine.close()

    cmd = "python3 bench/openings/make_openings.py --engine ENGINE " + " ".join(
        "--%s %s" % (k, getattr(args, k.replace("-", "_"))) for k in
        ("count", "time", "max-eval", "rule", "size", "radius", "seed"))
    name = re.search(r'name="([^"]*)"', about)
    version = re.search(r'version="([^"]*)"', about)
    lines = [
        "# Openings for %dx%d matches (gomoku-match -o): one per line, stones \"x,y\"" % (args.size, args.size),
        "# (x = column, y = row, 0-based) in playing order, black first.",
        "# Made by: %s" % cmd,
        "# Labelled by %s %s: a %d ms search under INFO rule %d; kept when" % (
            name.group(1) if name else "the engine", version.group(1).split()[0] if version else "",
            args.time, args.rule),
        "# |evaluation| <= %d for the side to move (the comment on each line)." % args.max_eval,
        "# %d kept of %d drawn; mean evaluation %+.1f, mean |evaluation| %.1f." % (
            len(kept), tries, sum(evals) / max(1, len(evals)),
            sum(abs(v) for v in evals) / max(1, len(evals))),
    ]
    for stones, value in kept:
        text = " ".join("%d,%d" % p for p in stones)
        lines.append("%-24s # eval %+d, %s to move" % (text, value,
                                                       "white" if len(stones) % 2 else "black"))
    data = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(data)
    else:
        sys.stdout.write(data)
    if len(kept) < args.count:
        print("only %d openings after %d draws" % (len(kept), tries), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
