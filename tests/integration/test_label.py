#!/usr/bin/env python3
"""bench/evaltrain/label.py against a fake oracle that misbehaves like real
ones: it eats the first word of the line sent right after each answer (as
Rapfi may), hangs on one position, exits on another, and proves a win on a
third. Every normal position must be labelled under its own rule, the bad
ones skipped, a cut input line reported, and the run must end by itself."""

import os
import stat
import subprocess
import sys
import tempfile
import unittest

from harness import SOURCE_DIR, run_tests

LABEL = os.path.join(SOURCE_DIR, "bench", "evaltrain", "label.py")

# Eval = 100 x the Gomocup rule + the number of stones, so a label shows the
# rule the oracle used. A first stone at 1,1 hangs, at 2,2 exits, at 3,3
# answers a forced win.
FAKE = r'''#!/usr/bin/env python3
import sys, time
rule, stones, in_board, eat_next = 0, [], False, False
for line in sys.stdin:
    words = line.split()
    if eat_next:
        words, eat_next = words[1:], False
    if not words:
        continue
    if in_board:
        if words[0] == "DONE":
            in_board = False
            first = stones[0] if stones else ""
            if first == "1,1":
                time.sleep(300)
            if first == "2,2":
                sys.exit(3)
            ev = "+M5" if first == "3,3" else str(100 * rule + len(stones))
            print(f"MESSAGE Depth 12 | Eval {ev} | Node 1", flush=True)
            print("7,7", flush=True)
            eat_next = True
        else:
            stones.append(",".join(words[0].split(",")[:2]))
    elif words[0] == "START":
        print("OK", flush=True)
    elif words[0] == "INFO" and len(words) == 3 and words[1] == "rule":
        rule = int(words[2])
    elif words[0] == "INFO":
        pass
    elif words[0] == "BOARD":
        in_board, stones = True, []
    elif words[0] == "END":
        break
    else:
        print(f"ERROR Unknown command: {words[0]}", flush=True)
'''

POSITIONS = """\
0 15 7,7 8,8
1 15 7,7 8,8 9,9
0 15 1,1 7,7
1 15 6,6 7,7 8,8
0 15 2,2 7,7
0 15 3,3 7,7 8,8
1 15 5,5
0 15 5,5 6,6
0 15 7,7 8,
"""


class Label(unittest.TestCase):
    def test_misbehaving_oracle(self):
        with tempfile.TemporaryDirectory(prefix="label-") as d:
            fake = os.path.join(d, "pbrain-fake")
            with open(fake, "w") as f:
                f.write(FAKE)
            os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
            src, out = os.path.join(d, "in.txt"), os.path.join(d, "out.txt")
            with open(src, "w") as f:
                f.write(POSITIONS)
            # The hang costs the watchdog's 30 s; the timeout only bounds a bug.
            p = subprocess.run([sys.executable, LABEL, "--oracle", fake, "--time-ms", "10",
                                "--jobs", "1", src, out],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                labelled = f.read().splitlines()
        self.assertEqual(labelled, [
            "2 7,7 0 15 7,7 8,8",
            "103 7,7 1 15 7,7 8,8 9,9",
            "103 7,7 1 15 6,6 7,7 8,8",
            "101 7,7 1 15 5,5",
            "2 7,7 0 15 5,5 6,6",
        ])
        self.assertIn("in.txt:9: not '<rule> <size> x,y ...', skipped", p.stderr)
        self.assertIn("label: 6 positions, 1 left out, 1 malformed lines skipped", p.stderr)


if __name__ == "__main__":
    run_tests()
