#!/usr/bin/env python3
"""bench/move_quality.py with a fake brain and a fake oracle: the loss of a
move must be the fall in expected score that the oracle's evaluations give
(none when the brain plays the labelled move, without asking the oracle),
a forced win after the move must count in full, a brain that dies must
cost only its position, and a malformed line must be reported and
skipped."""

import math
import os
import stat
import subprocess
import tempfile
import unittest

from harness import SOURCE_DIR, run_tests

TOOL = os.path.join(SOURCE_DIR, "bench", "move_quality.py")

# Both fakes speak just enough of the Gomocup protocol. The brain answers
# 1,1 with an even number of stones and 2,2 with an odd one, 9,9 when the
# first stone is at 3,3, the occupied 6,6 when it is at 6,6, and exits when
# it is at 5,5. The oracle logs
# every position it is asked about, and evaluates a position whose last
# stone is at 9,9 as a forced win, any other as 100.
HEADER = "#!/usr/bin/env python3\nimport sys\n"

# The protocol loop; answer() is defined above it, per fake.
LOOP = r'''
stones, in_board = [], False
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if in_board:
        if words[0] == "DONE":
            in_board = False
            answer(stones)
        else:
            stones.append(words[0].rsplit(",", 1)[0])
        continue
    if words[0] == "START":
        print("OK", flush=True)
    elif words[0] == "BOARD":
        stones, in_board = [], True
    elif words[0] == "END":
        break
'''

BRAIN = r'''
def answer(stones):
    if stones and stones[0] == "5,5":
        sys.exit(3)
    first = stones[0] if stones else ""
    move = {"3,3": "9,9", "6,6": "6,6"}.get(first, "1,1" if len(stones) % 2 == 0 else "2,2")
    print(move, flush=True)
'''

ORACLE = r'''
def answer(stones):
    with open(LOG, "a") as f:
        f.write(" ".join(stones) + "\n")
    ev = "+M3" if stones[-1] == "9,9" else "100"
    print(f"MESSAGE Depth 12 | Eval {ev} | Node 1", flush=True)
    print("0,0", flush=True)
'''


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def write_script(path, body, log=None):
    text = HEADER + (f"LOG = {log!r}\n" if log else "") + body + LOOP
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


class MoveQuality(unittest.TestCase):
    def test_losses(self):
        with tempfile.TemporaryDirectory() as tmp:
            brain, oracle = os.path.join(tmp, "brain"), os.path.join(tmp, "oracle")
            log = os.path.join(tmp, "oracle.log")
            write_script(brain, BRAIN)
            write_script(oracle, ORACLE, log)
            labelled = os.path.join(tmp, "labelled.txt")
            with open(labelled, "w") as f:
                f.write("50 1,1 0 15 7,7 8,8\n"        # the labelled move: loss 0
                        "50 1,1 0 15 7,7 8,8 7,8\n"    # 2,2: the oracle says 100 after it
                        "0 1,1 1 15 3,3 8,8 7,8\n"     # 9,9: a forced win after it
                        "0 1,1 0 15 5,5 8,8\n"         # the brain dies: skipped
                        "0 1,1 0 15 6,6 8,8\n"         # an occupied cell: lost
                        "x y\n")                       # malformed
            moves = os.path.join(tmp, "moves.txt")
            out = subprocess.run([TOOL, "--brain", brain, "--brain-cmd", "INFO max_node 5",
                                  "--oracle", oracle, "--time-ms", "100", "--moves", moves,
                                  labelled], capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("labelled.txt:6: not a labelled position", out.stderr)
            second = sigmoid(50 / 200) - (1 - sigmoid(100 / 200))
            mean = (0 + second + 0.5 + 0.5) / 4
            self.assertIn("positions 4 (of 5)", out.stdout)
            self.assertIn(f"mean loss {mean:.4f}", out.stdout)
            self.assertIn("oracle's move 25.0%", out.stdout)
            self.assertIn("losing over 0.1: 75.0%, over 0.3: 50.0%", out.stdout)
            with open(moves) as f:
                rows = sorted(line.split(None, 2) for line in f)
            self.assertEqual([(r[0], r[1]) for r in rows],
                             [("0.0000", "1,1"), (f"{second:.4f}", "2,2"), ("0.5000", "6,6"),
                              ("0.5000", "9,9")])
            # The oracle was asked only about the two positions after a
            # legal move that was not the labelled one.
            with open(log) as f:
                asked = sorted(f.read().split("\n")[:-1])
            self.assertEqual(asked, ["3,3 8,8 7,8 9,9", "7,7 8,8 7,8 2,2"])
            # Paired with an earlier run: the same moves give no difference;
            # an earlier run that lost 0.2 where this one lost 0.5 gives +0.3
            # in those two positions, and +0.15 over the four in common.
            again = subprocess.run([TOOL, "--brain", brain, "--oracle", oracle, "--time-ms",
                                    "100", "--against", moves, labelled],
                                   capture_output=True, text=True, timeout=120)
            self.assertIn("4 positions, mean loss difference +0.0000", again.stdout)
            self.assertIn("different loss in 0", again.stdout)
            earlier = os.path.join(tmp, "earlier.txt")
            with open(moves) as f, open(earlier, "w") as out:
                for line in f:
                    loss, rest = line.split(None, 1)
                    out.write(("0.2000 " if loss == "0.5000" else loss + " ") + rest)
            again = subprocess.run([TOOL, "--brain", brain, "--oracle", oracle, "--time-ms",
                                    "100", "--against", earlier, labelled],
                                   capture_output=True, text=True, timeout=120)
            self.assertIn("4 positions, mean loss difference +0.1500", again.stdout)
            self.assertIn("different loss in 2", again.stdout)

    def test_bad_arguments(self):
        with tempfile.TemporaryDirectory() as tmp:
            empty = os.path.join(tmp, "empty.txt")
            open(empty, "w").close()
            out = subprocess.run([TOOL, "--brain", "/bin/true", "--oracle", "/bin/true", empty],
                                 capture_output=True, text=True, timeout=60)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn("no positions", out.stderr)
            out = subprocess.run([TOOL, "--brain", "/bin/true", "--oracle", "/bin/true",
                                  "--jobs", "0", empty], capture_output=True, text=True,
                                 timeout=60)
            self.assertEqual(out.returncode, 2)
            self.assertIn("must be positive", out.stderr)


if __name__ == "__main__":
    run_tests()
