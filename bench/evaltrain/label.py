#!/usr/bin/env python3
"""Label training positions with an oracle engine's evaluation.

Reads lines '<rule> <size> x,y x,y ...' (from gen_positions or a match's
games), asks a Gomocup brain given by path to think about each position for
a fixed time (or depth), and writes

    <eval> <move> <rule> <size> x,y x,y ...

where <eval> is the last evaluation the brain printed in a 'MESSAGE ... Eval
N' line, from the side to move's view, and <move> its answer. Positions that
the brain judges as a forced win or loss ('Eval +M5', '-M8') or that it does
not evaluate are left out: the static evaluation is never asked about them,
the search proves them.

    bench/evaltrain/label.py --oracle PATH/pbrain-x --depth 16 --time-ms 2000 \
        --jobs 2 positions.txt labelled.txt

Duplicate positions are labelled once. The brain runs with its own
directory as the working directory (engines read their config from there).
"""
import argparse
import os
import re
import subprocess
import sys
import threading

EVAL_RE = re.compile(r"\bEval (\S+)")
MOVE_RE = re.compile(r"^\d+,\d+$")
RULE_INFO = {0: 0, 1: 1, 2: 4}  # engine rule -> Gomocup INFO rule


class Oracle:
    def __init__(self, path, time_ms, depth):
        self.path = os.path.abspath(path)
        self.time_ms = time_ms
        self.depth = depth
        self.size = None
        self.proc = None

    def start(self, size):
        if self.proc:
            self.stop()
        self.proc = subprocess.Popen([self.path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1,
                                     cwd=os.path.dirname(self.path))
        self.send(f"START {size}")
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("oracle exited during START")
            if line.strip() == "OK":
                break
        self.size = size
        self.send(f"INFO timeout_turn {self.time_ms}")
        self.send("INFO timeout_match 0")
        if self.depth:
            self.send(f"INFO max_depth {self.depth}")

    def send(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def evaluate(self, rule, size, stones):
        if self.size != size:
            self.start(size)
        # Twice: a brain may still be reading when it answers the position
        # before (Rapfi then takes the first word of the next line and
        # refuses the rest), and a lost rule line would label this position
        # under the last one's rule.
        for _ in range(2):
            self.send(f"INFO rule {RULE_INFO[rule]}")
        self.send("BOARD")
        n = len(stones)
        for i, (x, y) in enumerate(stones):
            # 1 = the side to move's stone, 2 = the opponent's; in play order.
            self.send(f"{x},{y},{1 if (n - i) % 2 == 0 else 2}")
        self.send("DONE")
        # A brain that stops answering is killed: readline() then sees the
        # end of its output, and the position is skipped.
        watchdog = threading.Timer(self.time_ms / 1000 + 30, self.proc.kill)
        watchdog.start()
        try:
            last = None
            while True:
                line = self.proc.stdout.readline()
                if not line:
                    raise RuntimeError("oracle exited or stopped answering")
                line = line.strip()
                m = EVAL_RE.search(line)
                if m:
                    last = m.group(1)
                if MOVE_RE.match(line):
                    return last, line
        finally:
            watchdog.cancel()

    def stop(self):
        try:
            self.send("END")
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
        self.proc = None


def worker(args, items, out, lock, counts):
    oracle = Oracle(args.oracle, args.time_ms, args.depth)
    for rule, size, stones, text in items:
        try:
            ev, move = oracle.evaluate(rule, size, stones)
        except (RuntimeError, OSError):  # died, hung, or its pipe broke: start a new one
            if oracle.proc:
                oracle.proc.kill()
                oracle.proc.wait()
            oracle.proc = None
            oracle.size = None
            continue
        with lock:
            counts[0] += 1
            if ev is None or "M" in ev:
                counts[1] += 1
                continue
            out.write(f"{int(ev)} {move} {text}\n")
            if counts[0] % 1000 == 0:
                out.flush()
                print(f"label: {counts[0]} positions, {counts[1]} left out", file=sys.stderr)
    if oracle.proc:
        oracle.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", required=True, help="path of a Gomocup brain that prints 'Eval N'")
    ap.add_argument("--time-ms", type=int, default=50, help="thinking time per position (50)")
    ap.add_argument("--depth", type=int, default=0,
                    help="also limit the search to this depth (INFO max_depth): labels then do not "
                         "depend on the machine's load, the time is only a cap")
    ap.add_argument("--jobs", type=int, default=2, help="oracle processes at once (2)")
    ap.add_argument("--limit", type=int, default=0, help="label at most this many positions")
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args()
    seen, items, malformed = set(), [], 0
    with open(args.input) as f:
        for line_no, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#") or text in seen:
                continue
            seen.add(text)
            parts = text.split()
            try:
                # A generator stopped mid-line leaves a cut last line: skip it.
                stones = [tuple(int(v) for v in p.split(",")) for p in parts[2:]]
                if len(parts) < 3 or any(len(s) != 2 for s in stones):
                    raise ValueError
                items.append((int(parts[0]), int(parts[1]), stones, text))
            except ValueError:
                print(f"label: {args.input}:{line_no}: not '<rule> <size> x,y ...', skipped",
                      file=sys.stderr)
                malformed += 1
    if args.limit:
        items = items[: args.limit]
    lock, counts = threading.Lock(), [0, 0]
    with open(args.output, "w") as out:
        # Contiguous slices keep each game's positions on one oracle (its
        # hash table then helps the next position).
        k = (len(items) + args.jobs - 1) // args.jobs
        threads = [threading.Thread(target=worker, args=(args, items[i * k:(i + 1) * k], out, lock, counts))
                   for i in range(args.jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print(f"label: {counts[0]} positions, {counts[1]} left out, {malformed} malformed lines skipped",
          file=sys.stderr)


if __name__ == "__main__":
    main()
