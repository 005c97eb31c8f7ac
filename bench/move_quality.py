#!/usr/bin/env python3
"""How much expected score a brain's moves give away, by an oracle's judgement.

Reads labelled positions ('<eval> <move> <rule> <size> x,y ...', as
bench/evaltrain/label.py writes them: the oracle's evaluation of the
position and its move), asks the brain under test for its move in each,
and, where that move is not the oracle's, asks the oracle (at the same
depth as the labels) to evaluate the position after it. The loss of a move
is the fall in the side to move's expected score,

    sigmoid(eval / scale) - sigmoid(-eval_after / scale)

where eval_after is the oracle's evaluation from the opponent's view; a
forced win the oracle finds after the move counts as an expected score of 0
(or 1 for a forced win of the mover), and so does an illegal move. It prints the mean loss with a 95%
interval, how often the brain played the oracle's move, and how many moves
lost more than 0.1 and 0.3 of a game: a match-free measure of move quality
that separates two builds with far fewer positions than games, on the
positions the file holds (e.g. from games against a stronger engine).

    bench/move_quality.py --brain bin/pbrain-gomoku --brain-cmd 'INFO max_node 150000' \\
        --oracle ORACLE_DIR/pbrain-x --depth 12 --jobs 2 --moves new.txt \\
        --against committed.txt labelled.txt

The brain gets --time-ms per move (and any --brain-cmd lines, e.g. a node
limit, which makes the answers independent of the machine's load). With
--moves FILE each position's line is written there with the brain's move
and its loss; with --against FILE (an earlier run's --moves file, e.g.
of the committed build) it also prints the mean difference of the losses
over the positions both runs answered, with a 95% interval: most
positions get the same move from both builds, so the paired difference
is far tighter than the two means. The brain and the oracle run in their
own directories.
"""
import argparse
import math
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "evaltrain"))
from label import Oracle  # noqa: E402  (the same protocol driver as the labeller)


class Brain(Oracle):
    """A brain under test: the labeller's driver plus extra INFO lines."""

    def __init__(self, path, time_ms, commands):
        super().__init__(path, time_ms, 0)
        self.commands = commands

    def start(self, size):
        super().start(size)
        for c in self.commands:
            self.send(c)


def expected(ev, scale):
    """The mover's expected score from an oracle evaluation string."""
    if "M" in ev:  # a forced result: '+M5' a win, '-M8' a loss
        return 0.0 if ev.startswith("-") else 1.0
    return sigmoid(int(ev) / scale)


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def parse(text):
    parts = text.split()
    label, move, rule, size = int(parts[0]), parts[1], int(parts[2]), int(parts[3])
    stones = [tuple(int(v) for v in p.split(",")) for p in parts[4:]]
    if len(parts) < 5 or any(len(s) != 2 for s in stones) or move.count(",") != 1:
        raise ValueError
    return label, move, rule, size, stones


def worker(args, items, results, lock):
    brain = Brain(args.brain, args.time_ms, args.brain_cmd)
    oracle = Oracle(args.oracle, args.oracle_time_ms, args.depth)
    for label, best, rule, size, stones, text in items:
        try:
            _, move = brain.evaluate(rule, size, stones)
            after = None
            if move != best:
                x, y = (int(v) for v in move.split(","))
                if x >= size or y >= size or (x, y) in stones:
                    after = "+M0"  # an illegal move loses, as in a match
                else:
                    after, _ = oracle.evaluate(rule, size, stones + [(x, y)])
        except (RuntimeError, OSError):  # a side died or hung: restart it, skip the position
            for p in (brain, oracle):
                if p.proc:
                    p.proc.kill()
                    p.proc.wait()
                p.proc, p.size = None, None
            continue
        if move != best and after is None:
            continue  # the oracle gave no evaluation
        before = sigmoid(label / args.scale)
        loss = 0.0 if move == best else before - (1.0 - expected(after, args.scale))
        with lock:
            results.append((loss, move == best, text, move))
    for p in (brain, oracle):
        if p.proc:
            p.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--brain", required=True, help="path of the Gomocup brain under test")
    ap.add_argument("--brain-cmd", action="append", default=[],
                    help="a protocol line sent to the brain after START (repeatable), "
                         "e.g. 'INFO max_node 100000'")
    ap.add_argument("--time-ms", type=int, default=1000, help="the brain's time per move (1000)")
    ap.add_argument("--oracle", required=True, help="path of a Gomocup brain that prints 'Eval N'")
    ap.add_argument("--depth", type=int, default=12,
                    help="the oracle's depth (INFO max_depth), as for the labels (12)")
    ap.add_argument("--oracle-time-ms", type=int, default=3000,
                    help="the oracle's time cap per position (3000)")
    ap.add_argument("--scale", type=float, default=200,
                    help="evaluation units per logit of expected score (200)")
    ap.add_argument("--jobs", type=int, default=1, help="positions at once (1)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many positions")
    ap.add_argument("--moves", help="write '<loss> <brain move> <labelled line>' lines here")
    ap.add_argument("--against", help="an earlier --moves file: print the paired difference")
    ap.add_argument("labelled")
    args = ap.parse_args()
    if args.time_ms < 1 or args.depth < 1 or args.jobs < 1 or args.scale <= 0:
        ap.error("--time-ms, --depth, --jobs and --scale must be positive")
    items = []
    with open(args.labelled) as f:
        for line_no, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                items.append(parse(text) + (text,))
            except (ValueError, IndexError):
                print(f"move_quality: {args.labelled}:{line_no}: not a labelled position, skipped",
                      file=sys.stderr)
    if args.limit:
        items = items[: args.limit]
    if not items:
        sys.exit("move_quality: no positions")
    results, lock = [], threading.Lock()
    k = (len(items) + args.jobs - 1) // args.jobs
    threads = [threading.Thread(target=worker, args=(args, items[i * k:(i + 1) * k], results, lock))
               for i in range(args.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    n = len(results)
    if not n:
        sys.exit("move_quality: no position was answered")
    losses = [r[0] for r in results]
    mean = sum(losses) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in losses) / max(n - 1, 1))
    same = sum(r[1] for r in results)
    print(f"positions {n} (of {len(items)}): mean loss {mean:.4f} "
          f"(95%: {mean - 1.96 * sd / math.sqrt(n):.4f} to {mean + 1.96 * sd / math.sqrt(n):.4f}), "
          f"oracle's move {100 * same / n:.1f}%, "
          f"losing over 0.1: {100 * sum(x > 0.1 for x in losses) / n:.1f}%, "
          f"over 0.3: {100 * sum(x > 0.3 for x in losses) / n:.1f}%")
    if args.against:
        earlier = {}
        with open(args.against) as f:
            for line in f:
                parts = line.split(None, 2)
                if len(parts) == 3:
                    earlier[parts[2].strip()] = float(parts[0])
        diffs = [round(r[0], 4) - earlier[r[2]] for r in results if r[2] in earlier]
        if diffs:
            m = len(diffs)
            dm = sum(diffs) / m
            dsd = math.sqrt(sum((x - dm) ** 2 for x in diffs) / max(m - 1, 1))
            half = 1.96 * dsd / math.sqrt(m)
            print(f"against {args.against}: {m} positions, mean loss difference {dm:+.4f} "
                  f"(95%: {dm - half:+.4f} to {dm + half:+.4f}), different loss in "
                  f"{sum(abs(x) > 5e-5 for x in diffs)}")
        else:
            print(f"against {args.against}: no position in common")
    if args.moves:
        with open(args.moves, "w") as out:
            for loss, _, text, move in sorted(results, key=lambda r: r[2]):
                out.write(f"{loss:.4f} {move} {text}\n")


if __name__ == "__main__":
    main()
