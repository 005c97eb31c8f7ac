#!/usr/bin/env python3
"""A renju match between two Gomocup brains, judged by this project's referee.

The script is the manager: it starts both brains with INFO rule 4, gives the
brain to move the position (BOARD ... DONE the first time in a game, TURN
afterwards) and judges each reply. A black move is checked against the
forbidden points of pbrain-gomoku's YXSHOWFORBID (a third process that only
referees: the engine's engine_forbidden_points(), the judge of the daemon,
the client and the page as well); black on a forbidden point loses. Black
wins with exactly five, white with five or more; a full board is a draw; a
reply that is late (turn + grace), malformed, off the board or on a stone,
or a brain that exits, loses. Black moves first; each opening is played
twice, once with each brain as black.

usage: bench/renju_match.py -a CMD -b CMD [-n GAMES] [--turn-ms MS]
           [--grace-ms MS] [--size N] [--openings FILE] [--referee PATH]
           [--jsonl FILE]
  openings: one opening per line, "x,y x,y ..." (column, row; black first);
  without a file every game starts from the centre stone.
Example (the command of the renju match against another engine):
  bench/renju_match.py -a bin/pbrain-gomoku -b /path/to/pbrain-other \\
      -n 40 --turn-ms 1000 --openings openings15.txt --jsonl renju.jsonl
"""

import argparse
import json
import math
import os
import queue
import shlex
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Lost(Exception):
    """The brain to move lost by breaking a rule of the match."""


class Brain:
    def __init__(self, command):
        argv = shlex.split(command)
        argv[0] = os.path.abspath(argv[0]) if os.sep in argv[0] else argv[0]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1,
                                     cwd=os.path.dirname(os.path.abspath(argv[0])))
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def send(self, *lines):
        try:
            self.proc.stdin.write("".join(line + "\n" for line in lines))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise Lost("exited")

    def reply(self, timeout_s, prefix=None):
        """The next line that is not MESSAGE/DEBUG (starting with prefix, if
        given), or Lost on timeout or exit."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Lost("timeout")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                raise Lost("timeout")
            if line is None:
                raise Lost("exited")
            word = line.split(" ", 1)[0]
            if word in ("MESSAGE", "DEBUG") or (prefix and not line.startswith(prefix)):
                continue
            return line

    def close(self):
        try:
            self.send("END")
            self.proc.wait(timeout=5)
        except (Lost, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


class Referee:
    """pbrain-gomoku asked only YXSHOWFORBID: black's forbidden points."""

    def __init__(self, path, size):
        self.brain = Brain(path)
        self.brain.send(f"START {size}", "INFO rule 4")
        self.brain.reply(30, "OK")

    def forbidden(self, stones):
        # Black to move: black's stones are field 1 (the referee's own side).
        self.brain.send("YXBOARD", *[f"{x},{y},{1 if i % 2 == 0 else 2}"
                                     for i, (x, y) in enumerate(stones)], "DONE", "YXSHOWFORBID")
        body = self.brain.reply(30, "FORBID")[len("FORBID"):].strip().rstrip(".")
        return {(int(body[i:i + 2]), int(body[i + 2:i + 4])) for i in range(0, len(body), 4)}


def makes_five(board, size, x, y, colour):
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        n = 1
        for s in (1, -1):
            k = 1
            while 0 <= x + s * k * dx < size and 0 <= y + s * k * dy < size and \
                    board.get((x + s * k * dx, y + s * k * dy)) == colour:
                n += 1
                k += 1
        if n == 5 or (n > 5 and colour == "O"):
            return True
    return False


def play_game(cmds, black, opening, args, referee):
    """cmds: {'A': cmd, 'B': cmd}; black: 'A' or 'B'. Returns (winner label
    or None for a draw, reason, moves)."""
    size = args.size
    white = "B" if black == "A" else "A"
    colour_of = {black: "X", white: "O"}
    brains = {label: Brain(cmds[label]) for label in ("A", "B")}
    board, stones = {}, []
    for x, y in opening:
        board[(x, y)] = "X" if len(stones) % 2 == 0 else "O"
        stones.append((x, y))
    started = {"A": False, "B": False}
    try:
        for label, b in brains.items():
            b.send(f"START {size}")
            if b.reply(30) != "OK":
                return ("B" if label == "A" else "A"), f"{label} refused START", stones
            b.send("INFO rule 4", f"INFO timeout_turn {args.turn_ms}", "INFO timeout_match 0",
                   "INFO time_left 2147483647", "INFO game_type 1")
        while True:
            if len(stones) == size * size:
                return None, "full board", stones
            to_move = black if len(stones) % 2 == 0 else white
            me = colour_of[to_move]
            b = brains[to_move]
            try:
                t0 = time.monotonic()
                if not started[to_move]:
                    started[to_move] = True
                    if stones:
                        b.send("BOARD", *[f"{x},{y},{1 if board[(x, y)] == me else 2}"
                                          for x, y in stones], "DONE")
                    else:
                        b.send("BEGIN")
                else:
                    b.send(f"TURN {stones[-1][0]},{stones[-1][1]}")
                line = b.reply((args.turn_ms + args.grace_ms) / 1000)
                spent = (time.monotonic() - t0) * 1000
                try:
                    x, y = (int(v) for v in line.split(","))
                except ValueError:
                    raise Lost(f"answered {line!r}")
                if not (0 <= x < size and 0 <= y < size) or (x, y) in board:
                    raise Lost(f"illegal move {x},{y}")
                if me == "X" and (x, y) in referee.forbidden(stones):
                    raise Lost(f"forbidden point {x},{y}")
            except Lost as e:
                return (white if to_move == black else black), f"{to_move} ({me}): {e}", stones
            board[(x, y)] = me
            stones.append((x, y))
            if args.verbose:
                print(f"  {to_move} ({me}) {x},{y} {spent:.0f} ms", flush=True)
            if makes_five(board, size, x, y, me):
                return to_move, f"five by {me}", stones
    finally:
        for b in brains.values():
            b.close()


def elo(score, games):
    if games == 0 or score in (0, games):
        return float("nan")
    p = score / games
    return -400 * math.log10(1 / p - 1)


def main():
    ap = argparse.ArgumentParser(description="A renju match judged by the project's referee.")
    ap.add_argument("-a", required=True, help="brain A command")
    ap.add_argument("-b", required=True, help="brain B command")
    ap.add_argument("-n", type=int, default=20, help="games (default 20)")
    ap.add_argument("--turn-ms", type=int, default=1000)
    ap.add_argument("--grace-ms", type=int, default=1000)
    ap.add_argument("--size", type=int, default=15)
    ap.add_argument("--openings")
    ap.add_argument("--referee", default=os.path.join(HERE, "..", "bin", "pbrain-gomoku"))
    ap.add_argument("--jsonl")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    openings = [[(args.size // 2, args.size // 2)]]
    if args.openings:
        with open(args.openings) as f:
            lines = [line.split("#")[0].strip() for line in f]
            openings = [[tuple(int(v) for v in cell.split(",")) for cell in line.split()]
                        for line in lines if line]
    referee = Referee(args.referee, args.size)
    for opening in openings:  # an opening must itself be legal
        for i in range(0, len(opening), 2):
            if opening[i] in referee.forbidden(opening[:i]):
                sys.exit(f"renju_match: opening {opening} has black on a forbidden point")
    cmds = {"A": args.a, "B": args.b}
    score = {"A": 0.0, "B": 0.0}
    wins = {"A": 0, "B": 0, None: 0}
    out = open(args.jsonl, "w") if args.jsonl else None
    print(f"renju match: A = {args.a}, B = {args.b}, {args.n} games, {args.size}x{args.size}, "
          f"{args.turn_ms} ms per move")
    try:
        for g in range(args.n):
            opening = openings[(g // 2) % len(openings)]
            black = "A" if g % 2 == 0 else "B"
            winner, reason, stones = play_game(cmds, black, opening, args, referee)
            wins[winner] += 1
            if winner:
                score[winner] += 1
            else:
                score["A"] += 0.5
                score["B"] += 0.5
            print(f"game {g + 1}: black {black}, {len(stones)} stones, "
                  f"{'winner ' + winner if winner else 'draw'} ({reason})", flush=True)
            if out:
                out.write(json.dumps({"game": g + 1, "black": black, "winner": winner,
                                      "reason": reason, "moves": stones}) + "\n")
                out.flush()
    finally:
        referee.brain.close()
        if out:
            out.close()
    games = args.n
    print(f"A {wins['A']} - B {wins['B']} - draws {wins[None]}: A scores "
          f"{score['A']:.1f}/{games} ({100 * score['A'] / games:.1f}%), "
          f"Elo A-B {elo(score['A'], games):+.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
