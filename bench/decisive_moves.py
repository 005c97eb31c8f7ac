#!/usr/bin/env python3
"""Where a match's lost games were lost: for each game that engine A lost
(gomoku-match --jsonl), an oracle brain evaluates every position up to
--max-stones at a fixed depth, and the first move of A after which the
oracle proves a win for the opponent ('Eval +M..') is that game's decisive
move. Prints one line per game and a summary:

    bench/decisive_moves.py --oracle PATH/pbrain-x --depth 16 games.jsonl

    game 7 (A white, freestyle): decisive move 11 (10,6), oracle before -201, oracle's move 9,8

'oracle before' is the oracle's value of the position before the decisive
move, from A's view (its own units); 'none' means no proven loss before
--max-stones. --positions FILE also writes each decisive position as
'<rule> <size> <before> <played> <oracle move> x,y ...' (black first).

With --replay ENGINE, the positions of such a file (with 'before' at least
--min-before) are given to ENGINE (limited to --nodes) instead, and the
oracle judges each of its moves: how many walk into a proven loss.

    bench/decisive_moves.py --oracle PATH/pbrain-x --replay bin/pbrain-gomoku \
        --nodes 150000 --min-before -300 decisive.txt

The positions were chosen by one build's mistakes, so a build that simply
plays differently avoids many of them: compare builds on the same file,
not with the match that made it.
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "evaltrain"))
from label import Oracle  # noqa: E402

RULES = {"freestyle": 0, "standard": 1, "renju": 2}
MATE = 1_000_000


def value(ev):
    """The oracle's 'Eval' word as a number from the side to move's view."""
    if ev is None:
        return None
    if "M" in ev:
        return -MATE if ev.startswith("-") else MATE
    return int(ev)


def replay(args, oracle):
    engine = Oracle(args.replay, 600000, 0)
    n = lost = 0
    for path in args.files:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) < 5 or int(p[2]) < args.min_before:
                    continue
                rule, size = int(p[0]), int(p[1])
                stones = [tuple(int(v) for v in s.split(",")) for s in p[5:]]
                if engine.size != size:
                    engine.start(size)
                    engine.send(f"INFO max_node {args.nodes}")
                _, move = engine.evaluate(rule, size, stones)
                ev, _ = oracle.evaluate(rule, size, stones + [tuple(int(v) for v in move.split(","))])
                n += 1
                lost += value(ev) == MATE
    engine.stop()
    oracle.stop()
    print(f"{args.replay} at {args.nodes} nodes: {n} positions, {lost} moves into a proven loss")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", required=True, help="path of a Gomocup brain that prints 'Eval N'")
    ap.add_argument("--depth", type=int, default=16, help="oracle search depth (16)")
    ap.add_argument("--time-ms", type=int, default=5000, help="cap on the oracle's time per position (5000)")
    ap.add_argument("--max-stones", type=int, default=40, help="positions looked at per game (40)")
    ap.add_argument("--positions", help="write the decisive positions to this file")
    ap.add_argument("--replay", metavar="ENGINE", help="replay a positions file with this brain")
    ap.add_argument("--nodes", type=int, default=150000, help="node limit of the replayed brain (150000)")
    ap.add_argument("--min-before", type=int, default=-300,
                    help="replay only positions the oracle valued at least this (-300)")
    ap.add_argument("files", nargs="+", help="match JSON lines, or with --replay a positions file")
    args = ap.parse_args()
    oracle = Oracle(args.oracle, args.time_ms, args.depth)
    if args.replay:
        replay(args, oracle)
        return
    out = open(args.positions, "w") if args.positions else None
    found, befores, lost = [], [], 0
    for path in args.files:
        with open(path) as f:
            for line in f:
                g = json.loads(line)
                if g.get("winner") != "B":
                    continue
                lost += 1
                ours = 1 if g["black"] == "A" else 2
                moves = [tuple(m) for m in g["moves"]]
                rule = RULES[g["rule"]]
                size = g["size"]
                start = g.get("opening_stones", 0)
                decisive = None
                for n in range(start, min(len(moves) - 1, args.max_stones)):
                    if n % 2 != ours - 1:
                        continue  # the opponent is to move
                    ev, best = oracle.evaluate(rule, size, moves[:n])
                    before = value(ev)
                    if before is None or before == -MATE:
                        break  # already lost (or not evaluated): no decisive move of ours here
                    after, _ = oracle.evaluate(rule, size, moves[:n + 1])
                    if value(after) == MATE:
                        decisive = (n, before, best)
                        break
                colour = "black" if ours == 1 else "white"
                if decisive is None:
                    print(f"game {g['game']} (A {colour}, {g['rule']}): none")
                    continue
                n, before, best = decisive
                found.append(n)
                befores.append(before)
                x, y = moves[n]
                print(f"game {g['game']} (A {colour}, {g['rule']}): decisive move {n} ({x},{y}), "
                      f"oracle before {before}, oracle's move {best}")
                if out:
                    stones = " ".join(f"{a},{b}" for a, b in moves[:n])
                    out.write(f"{rule} {size} {before} {x},{y} {best} {stones}\n")
    oracle.stop()
    if out:
        out.close()
    print(f"{lost} games lost, {len(found)} with a decisive move within {args.max_stones} stones")
    if found:
        even = sum(1 for b in befores if b >= -300)
        print(f"stones before it: median {statistics.median(found)} ({min(found)} to {max(found)}); "
              f"oracle's value before it: median {statistics.median(befores)}, "
              f"{even} of {len(found)} at -300 or better")


if __name__ == "__main__":
    main()
