#!/usr/bin/env python3
"""gomoku-httpd --health-check: the container health check (an image FROM
scratch has no curl). Exit 0 only when the daemon at --bind answers /health
with 200; a wildcard bind is asked on loopback."""

import re
import unittest

from harness import Daemon, free_port, run_binary, run_tests, wait_until


class HealthCheck(unittest.TestCase):
    def test_running_daemon_is_healthy(self):
        with Daemon() as d:
            code, out, _ = run_binary(["--health-check", "-b", f"127.0.0.1:{d.port}"])
            self.assertEqual(code, 0, out)
            self.assertIn("answered 200", out)

    def test_wildcard_bind_is_asked_on_loopback(self):
        with Daemon(bind=False, args=["-b", "0.0.0.0:0"], ready_path=None) as d:
            # Port 0: the daemon logs the port it picked.
            m = wait_until(lambda: re.search(r"listening on http://0\.0\.0\.0:(\d+)/",
                                             d.read_log()), what="the listening line")
            code, out, _ = run_binary(["--health-check", "-b", f"0.0.0.0:{m.group(1)}"])
            self.assertEqual(code, 0, out)
            self.assertIn("127.0.0.1", out)

    def test_nothing_listening_is_unhealthy(self):
        code, out, _ = run_binary(["--health-check", "-b", f"127.0.0.1:{free_port()}"])
        self.assertEqual(code, 1, out)
        self.assertIn("cannot connect", out)

    def test_bad_option_is_a_usage_error(self):
        code, _, err = run_binary(["--health-check", "--threads", "0"])
        self.assertEqual(code, 2)
        self.assertIn("--threads", err)


if __name__ == "__main__":
    run_tests()
