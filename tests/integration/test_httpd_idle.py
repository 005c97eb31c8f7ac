"""gomoku-httpd makes no system calls while idle: the context switches of all
its threads stay flat over a few seconds, with no connection, with an idle
keep-alive connection, with a connection that never sent a byte, and after
searches have run. Then SIGTERM still ends it (shutdown is event-driven)."""

import http.client
import socket
import time
import unittest

from harness import (Daemon, free_port, game, http_request, run_tests, thread_switches,
                     wait_until)

IDLE_SECONDS = 3.0


class Idle(unittest.TestCase):
    def assert_idle(self, d, what):
        time.sleep(0.3)  # let the last request's log line and wake-ups settle
        before = thread_switches(d.pid)
        time.sleep(IDLE_SECONDS)
        after = thread_switches(d.pid)
        woke = {tid: (name, after[tid][1] - n) for tid, (name, n) in before.items()
                if tid in after and after[tid][1] != n}
        self.assertEqual(woke, {}, f"{what}: threads woke up while idle: {woke}")
        self.assertEqual(set(before), set(after), f"{what}: threads came or went")

    def test_idle_daemon_sleeps(self):
        agent_port = free_port()
        d = Daemon(["-t", "2", "-a", str(agent_port)], name="idle").start()
        try:
            # main, libmicrohttpd, two search threads and the agent (started
            # just after /health first answers).
            wait_until(lambda: len(thread_switches(d.pid)) == 5, what="all five threads")
            self.assert_idle(d, "no connection")

            keep = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            keep.request("GET", "/health")
            self.assertEqual(keep.getresponse().status, 200)
            self.assert_idle(d, "idle keep-alive connection")

            raw = socket.create_connection(("127.0.0.1", d.port))
            self.assert_idle(d, "connection that sent nothing")

            for _ in range(2):
                status, _, _ = http_request(d.port, "POST", "/gomoku/play",
                                            game([(7, 7)], max_time_ms=50))
                self.assertEqual(status, 200)
            with socket.create_connection(("127.0.0.1", agent_port)) as a:
                a.recv(64)
            self.assert_idle(d, "after searches and an agent check")

            keep.close()
            raw.close()
            self.assertEqual(d.stop(timeout=10), 0)
        finally:
            d.stop()
            d.log.close()


if __name__ == "__main__":
    run_tests()
