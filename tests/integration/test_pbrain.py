#!/usr/bin/env python3
"""Integration tests of bin/pbrain-gomoku, the Gomocup protocol brain.

The real binary is driven over its stdin/stdout the way a Gomocup manager
(piskvork, pbrain_match.py) does. Checks do not depend on the engine's
strength or speed: moves must be legal, answers must arrive, and wall-clock
bounds are only generous hang checks (turn time + 1 s and more).
"""

import os
import queue
import re
import subprocess
import threading
import time
import unittest

from harness import scaled

BIN_DIR = os.environ.get('GOMOKU_BIN_DIR',
                         os.path.join(os.path.dirname(__file__), '..', '..', 'bin'))
BRAIN = os.path.join(BIN_DIR, 'pbrain-gomoku')
MOVE_RE = re.compile(r'^(\d+),(\d+)$')


class Brain:
    """One brain process; a thread queues its output lines.

    The reader thread owns the stdout pipe: it reads it to the end and closes
    it itself. Closing it from the test's thread while the reader still
    reads let the next test's pipe reuse the descriptor number, and the old
    reader stole the new brain's output ("'O' != 'OK'").
    """

    def __init__(self):
        self.proc = subprocess.Popen([BRAIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, bufsize=0)
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self.reader.start()

    def _read(self, out):
        try:
            for raw in out:
                self.lines.put(raw.decode('utf-8', 'replace').rstrip('\r\n'))
        finally:
            out.close()
            self.lines.put(None)

    def send(self, *lines, end='\r\n'):
        self.proc.stdin.write(''.join(line + end for line in lines).encode())
        self.proc.stdin.flush()

    def line(self, timeout=10.0):
        """The next output line that is not MESSAGE/DEBUG chatter. Every
        wait here is a hang bound, stretched by the machine's load."""
        timeout = scaled(timeout)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError('no answer from the brain within %.1f s' % timeout)
            try:
                text = self.lines.get(timeout=left)
            except queue.Empty:
                raise AssertionError('no answer from the brain within %.1f s' % timeout)
            if text is None:
                raise AssertionError('the brain exited (code %s)' % self.proc.wait())
            if text.split(' ', 1)[0] not in ('MESSAGE', 'DEBUG'):
                return text

    def raw_line(self, timeout=10.0):
        """The next output line, whatever it is."""
        timeout = scaled(timeout)
        try:
            text = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError('no output from the brain within %.1f s' % timeout)
        if text is None:
            raise AssertionError('the brain exited (code %s)' % self.proc.wait())
        return text

    def move(self, timeout=10.0):
        text = self.line(timeout)
        m = MOVE_RE.match(text)
        if not m:
            raise AssertionError('expected a move "x,y", got %r' % text)
        return int(m.group(1)), int(m.group(2))

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send('END')
                self.proc.wait(timeout=5)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()  # only ever our own child
                self.proc.wait()
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        # The brain has exited, so its stdout reaches its end and the reader
        # closes it; wait for that (bounded) rather than close it under it.
        self.reader.join(30)
        if self.reader.is_alive():
            raise AssertionError('the reader of the brain\'s output did not end')


class PbrainTest(unittest.TestCase):
    def setUp(self):
        self.brain = Brain()

    def tearDown(self):
        self.brain.close()

    def start(self, size=15, turn_ms=300):
        self.brain.send('START %d' % size)
        self.assertEqual(self.brain.line(30), 'OK')
        self.brain.send('INFO timeout_turn %d' % turn_ms, 'INFO timeout_match 0',
                        'INFO game_type 1', 'INFO rule 0')

    def test_about(self):
        self.brain.send('ABOUT')
        about = self.brain.line()
        fields = dict(re.findall(r'(\w+)="([^"]*)"', about))
        self.assertEqual(fields.get('name'), 'gomoku-httpd')
        self.assertEqual(fields.get('author'), 'gomoku-httpd developers')
        self.assertIn('version', fields)
        self.assertIn('country', fields)

    def test_short_game_legal_moves(self):
        self.start(15, 200)
        stones = set()
        self.brain.send('BEGIN')
        mine = self.brain.move()
        self.assertTrue(0 <= mine[0] < 15 and 0 <= mine[1] < 15)
        stones.add(mine)
        # The opponent walks along the edge; every answer must be a legal
        # move on an empty cell.
        for x in range(0, 8):
            theirs = next((x, y) for y in range(15) if (x, y) not in stones)
            stones.add(theirs)
            self.brain.send('INFO time_left 2147483647', 'TURN %d,%d' % theirs)
            mine = self.brain.move(5)
            self.assertTrue(0 <= mine[0] < 15 and 0 <= mine[1] < 15, mine)
            self.assertNotIn(mine, stones)
            stones.add(mine)

    def test_board_win_and_block(self):
        self.start(15, 300)
        # Own four on row 7 (x = 3..6): the brain must complete five.
        self.brain.send('BOARD', '3,7,1', '10,10,2', '4,7,1', '11,10,2', '5,7,1', '12,3,2',
                        '6,7,1', '1,1,2', 'DONE')
        self.assertIn(self.brain.move(), [(2, 7), (7, 7)])
        # Opponent's four on column 9, nothing of ours: the only block.
        self.brain.send('RESTART')
        self.assertEqual(self.brain.line(), 'OK')
        self.brain.send('BOARD', '9,3,2', '0,0,1', '9,4,2', '14,0,1', '9,5,2', '0,14,1',
                        '9,6,2', '9,2,1', 'DONE')
        self.assertEqual(self.brain.move(), (9, 7))

    def test_takeback_and_replay(self):
        self.start(15, 100)
        self.brain.send('TURN 7,7')
        first = self.brain.move()
        self.brain.send('TAKEBACK %d,%d' % first)
        self.assertEqual(self.brain.line(), 'OK')
        self.brain.send('TAKEBACK 7,7')
        self.assertEqual(self.brain.line(), 'OK')
        self.brain.send('TAKEBACK 7,7')  # nothing there any more
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('TURN 7,7')  # the cell is free again
        self.assertNotEqual(self.brain.move(), (7, 7))

    def test_bad_input(self):
        self.brain.send('TURN 1,1')  # before START
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('START 26')
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('RECTSTART 20,15')
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.start(15, 100)
        self.brain.send('FROBNICATE now')
        self.assertTrue(self.brain.line().startswith('UNKNOWN'))
        self.brain.send('TURN 15,3')
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('TURN x,y')
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('TURN 4,4')
        mine = self.brain.move()
        self.brain.send('TURN 4,4')  # occupied
        self.assertTrue(self.brain.line().startswith('ERROR'))
        self.brain.send('A' * 5000)  # overlong line
        self.assertTrue(self.brain.line().startswith(('ERROR', 'UNKNOWN')))
        # INFO never answers, unknown keys included: the next line is ABOUT's.
        self.brain.send('INFO some_future_key 1', 'INFO folder /tmp', 'ABOUT')
        self.assertIn('name="gomoku-httpd"', self.brain.line())
        # The brain still plays after all that.
        free = next(c for c in ((0, 14), (14, 0)) if c != mine)
        self.brain.send('TURN %d,%d' % free)
        self.assertNotIn(self.brain.move(), (free, mine, (4, 4)))

    def test_line_ends(self):
        for end in ('\n', '\r', '\r\n'):
            self.brain.send('START 15', 'INFO timeout_turn 100', 'BEGIN', end=end)
            self.assertEqual(self.brain.line(), 'OK')
            self.brain.move()

    def test_timeout_turn_respected(self):
        for turn_ms in (0, 300, 1000):
            self.start(19, turn_ms)
            self.brain.send('TURN 9,9')
            t0 = time.monotonic()
            # The brain keeps to its turn time; the slack above it is for
            # the machine (stretched by its load), not for the brain.
            bound = turn_ms / 1000 + scaled(1.0)
            self.brain.move(bound)
            self.assertLess(time.monotonic() - t0, bound)

    def test_time_left_respected(self):
        self.start(15, 30000)
        self.brain.send('INFO timeout_match 60000', 'INFO time_left 500', 'TURN 7,7')
        t0 = time.monotonic()
        bound = 0.5 + scaled(1.0)
        self.brain.move(bound)
        self.assertLess(time.monotonic() - t0, bound)

    def test_stop_while_thinking(self):
        self.start(19, 60000)
        self.brain.send('TURN 9,9')
        time.sleep(0.3)
        self.brain.send('YXSTOP')
        self.brain.move(5)  # well before the 60 s turn

    def test_end_while_thinking(self):
        self.start(19, 60000)
        self.brain.send('BOARD', '9,9,2', '10,10,1', '8,10,2', 'DONE')
        time.sleep(0.3)
        t0 = time.monotonic()
        self.brain.send('END')
        bound = scaled(5)
        self.brain.proc.wait(timeout=bound)  # raises if the brain hangs
        self.assertLess(time.monotonic() - t0, bound)
        self.assertEqual(self.brain.proc.returncode, 0)

    def test_end_of_input_answers_queue(self):
        self.brain.send('START 15', 'INFO timeout_turn 100', 'BEGIN')
        self.brain.proc.stdin.close()
        self.assertEqual(self.brain.line(), 'OK')
        self.brain.move()
        self.assertEqual(self.brain.proc.wait(timeout=scaled(5)), 0)

    def test_standard_rule_and_memory(self):
        self.start(15, 200)
        self.brain.send('INFO rule 1', 'INFO max_memory 83886080')
        # X X X X . X with an own stone beyond: the gap would make six, which
        # does not win under rule 1; the far end 3,7 makes exactly five.
        self.brain.send('BOARD', '4,7,1', '0,0,2', '5,7,1', '14,0,2', '6,7,1', '0,14,2',
                        '7,7,1', '14,14,2', '9,7,1', '3,6,2', 'DONE')
        self.assertEqual(self.brain.move(), (3, 7))

    def test_renju_forbidden_points(self):
        self.start(15, 100)
        self.brain.send('INFO rule 4')
        # Black (own, to move: equal counts) has a double three at 9,7
        # (column 9 rows 5-6, row 7 columns 7-8); white stones far away.
        self.brain.send('YXBOARD', '9,5,1', '0,0,2', '9,6,1', '0,2,2', '7,7,1', '0,4,2',
                        '8,7,1', '0,6,2', 'DONE', 'YXSHOWFORBID')
        self.assertEqual(self.brain.line(), 'FORBID 0907.')
        # As black the brain never plays it, even though it is the strongest
        # point on the board at freestyle.
        self.brain.send('BOARD', '9,5,1', '0,0,2', '9,6,1', '0,2,2', '7,7,1', '0,4,2',
                        '8,7,1', '0,6,2', 'DONE')
        self.assertNotEqual(self.brain.move(), (9, 7))
        # White to move: nothing is listed.
        self.brain.send('YXSHOWFORBID')
        self.assertEqual(self.brain.line(), 'FORBID .')
        # Other rules: nothing either.
        self.brain.send('INFO rule 0', 'YXBOARD', '9,5,1', '0,0,2', '9,6,1', '0,2,2', '7,7,1',
                        '0,4,2', '8,7,1', '0,6,2', 'DONE', 'YXSHOWFORBID')
        self.assertEqual(self.brain.line(), 'FORBID .')

if __name__ == '__main__':
    unittest.main()
