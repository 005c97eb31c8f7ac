#!/usr/bin/env python3
"""Training positions from played games: reads gomoku-match JSON lines
(--jsonl) and prints every position after the opening, less the last
--skip-last of each game, as '<rule> <size> x,y x,y ...' (black first), the
input of label.py.

    bench/evaltrain/positions_from_games.py --skip-last 10 games.jsonl > positions.txt
"""
import argparse
import json

RULES = {"freestyle": 0, "standard": 1, "renju": 2}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-last", type=int, default=10,
                    help="positions left out at the end of each game (default 10)")
    ap.add_argument("jsonl", nargs="+")
    args = ap.parse_args()
    for path in args.jsonl:
        with open(path) as f:
            for line in f:
                g = json.loads(line)
                moves = [f"{x},{y}" for x, y in g["moves"]]
                head = f"{RULES[g['rule']]} {g['size']}"
                for n in range(g.get("opening_stones", 0), len(moves) - args.skip_last):
                    print(" ".join([head] + moves[:n]))


if __name__ == "__main__":
    main()
