"""gomoku-httpd's access log: health checks and scrapes (GET or HEAD of
/health, /ready, /metrics) are logged at debug, every other request at info.
Checked on the log file's content at the default level and with -L debug."""

import os
import re
import signal
import unittest

from harness import LOG_DIR, Daemon, game, http_request, run_tests

PROBES = [("GET", "/health"), ("HEAD", "/health"), ("GET", "/ready"), ("HEAD", "/ready"),
          ("GET", "/metrics")]


def access_lines(text):
    """{(level, method, path, status)} of the access lines in a log."""
    return {(m.group(1), m.group(2), m.group(3), int(m.group(4))) for m in re.finditer(
        r" (INFO|DEBUG) access client=\S+ peer=\S+ method=(\S+) path=(\S+) status=(\d+) ",
        text)}


class AccessLog(unittest.TestCase):
    def traffic(self, level_args, name):
        """Runs the same requests against a daemon logging to a file at the
        given level; returns the access lines once it has exited (every
        line is written by then)."""
        os.makedirs(LOG_DIR, exist_ok=True)
        log = os.path.join(LOG_DIR, f"{name}-{os.getpid()}.log")
        if os.path.exists(log):
            os.unlink(log)
        d = Daemon(["-t", "1", "-l", log] + level_args, name=name).start()
        try:
            for method, path in PROBES:
                self.assertIn(http_request(d.port, method, path)[0], (200, 503), (method, path))
            # Not routine: a wrong method on a probe path, a miss, a move.
            self.assertEqual(http_request(d.port, "POST", "/health")[0], 405)
            self.assertEqual(http_request(d.port, "GET", "/nope")[0], 404)
            self.assertEqual(http_request(d.port, "POST", "/gomoku/play",
                                          game([(7, 7)], max_time_ms=20))[0], 200)
            self.assertEqual(d.stop(signal.SIGTERM), 0)
        finally:
            d.stop()
            d.log.close()
        with open(log) as f:
            return access_lines(f.read())

    def test_default_level_leaves_out_probes(self):
        lines = self.traffic([], "access-info")
        logged = {(method, path) for _, method, path, _ in lines}
        for probe in PROBES:
            self.assertNotIn(probe, logged, "probe logged at the default level")
        self.assertIn(("INFO", "POST", "/health", 405), lines)
        self.assertIn(("INFO", "GET", "/nope", 404), lines)
        self.assertIn(("INFO", "POST", "/gomoku/play", 200), lines)
        self.assertEqual({level for level, _, _, _ in lines}, {"INFO"})

    def test_debug_level_logs_probes_at_debug(self):
        lines = self.traffic(["-L", "debug"], "access-debug")
        for method, path in PROBES:
            self.assertTrue(any(l[:3] == ("DEBUG", method, path) for l in lines),
                            f"no DEBUG access line for {method} {path}: {sorted(lines)}")
        self.assertIn(("INFO", "POST", "/health", 405), lines)
        self.assertIn(("INFO", "GET", "/nope", 404), lines)
        self.assertIn(("INFO", "POST", "/gomoku/play", 200), lines)


if __name__ == "__main__":
    run_tests()
