"""gomoku-httpd under load: a full queue answers 503 with Retry-After,
/health and /metrics answer while every search thread is busy, /ready is 503
then and 200 after, and the agent-check reports the load."""

import json
import signal
import socket
import threading
import unittest

from harness import Daemon, free_port, game, get_json, http_request, run_tests, wait_until

LONG_MS = 8000  # holds the thread at least 5.2 s (the soft limit, 65%) while the test looks around


def agent_line(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        data = b""
        while True:
            chunk = s.recv(256)
            if not chunk:
                return data.decode()
            data += chunk


class Background(threading.Thread):
    """One POST /gomoku/play on its own thread; keeps the answer."""

    def __init__(self, port, record):
        super().__init__(daemon=True)
        self.port, self.record, self.result, self.error = port, record, None, None
        self.start()

    def run(self):
        try:
            self.result = http_request(self.port, "POST", "/gomoku/play", self.record, timeout=60)
        except Exception as e:  # reported by the test
            self.error = e

    def answer(self):
        self.join(60)
        if self.error:
            raise self.error
        return self.result


class FullQueue(unittest.TestCase):
    def test_full_queue_health_ready_agent(self):
        agent_port = free_port()
        d = Daemon(["-t", "1", "-q", "1", "-a", str(agent_port), "--max-time-ms", str(LONG_MS)],
                   name="full-queue").start()
        try:
            self.assertEqual(agent_line(agent_port), "up ready 100%\n")
            rec = game([(7, 7)], max_time_ms=LONG_MS)
            first = Background(d.port, rec)
            wait_until(lambda: get_json(d.port, "/health")[1]["busy"] == 1, what="busy thread")

            # Every search thread is busy: cheap routes still answer at once.
            status, doc = get_json(d.port, "/health", timeout=5)
            self.assertEqual((status, doc["busy"], doc["threads"]), (200, 1, 1))
            status, doc = get_json(d.port, "/ready", timeout=5)
            self.assertEqual((status, doc["status"]), (503, "busy"))
            # Kubernetes' variant: busy, but the queue has room.
            status, doc = get_json(d.port, "/ready?queue=1", timeout=5)
            self.assertEqual((status, doc["status"]), (200, "busy"))
            status, _, body = http_request(d.port, "GET", "/metrics", timeout=5)
            self.assertEqual(status, 200)
            self.assertIn(b"gomoku_search_threads_busy 1\n", body)
            self.assertEqual(agent_line(agent_port), "up ready 1%\n")

            second = Background(d.port, rec)
            wait_until(lambda: get_json(d.port, "/health")[1]["queued"] == 1, what="queued job")
            self.assertEqual(get_json(d.port, "/health")[1]["busy"], 1)
            self.assertIn(b"gomoku_queue_length 1\n", http_request(d.port, "GET", "/metrics")[2])
            status, doc = get_json(d.port, "/ready?queue=1", timeout=5)
            self.assertEqual((status, doc["status"]), (503, "full"))
            self.assertEqual(get_json(d.port, "/ready", timeout=5)[1]["status"], "busy")

            # Thread busy, queue full: the third is refused, not queued.
            status, headers, body = http_request(d.port, "POST", "/gomoku/play", rec, timeout=5)
            self.assertEqual(status, 503)
            self.assertEqual(headers["content-type"], "application/json")
            self.assertEqual(headers["retry-after"], str(LONG_MS // 1000))
            self.assertIn("queue is full", json.loads(body)["error"])
            # A bad request is still judged on its merits, not refused.
            status, _, _ = http_request(d.port, "POST", "/gomoku/play", b"{", timeout=5)
            self.assertEqual(status, 400)

            for job in (first, second):
                status, _, body = job.answer()
                self.assertEqual(status, 200)
                self.assertEqual(len(json.loads(body)["moves"]), 2)
            # The second one waited for the first: its queue time shows it.
            queue_ms = json.loads(second.result[2])["moves"][1]["queue_ms"]
            self.assertGreater(queue_ms, 0)

            wait_until(lambda: get_json(d.port, "/ready")[0] == 200, what="/ready 200 again")
            plain = get_json(d.port, "/ready")
            self.assertEqual(get_json(d.port, "/ready?queue=1"), plain)
            self.assertEqual(agent_line(agent_port), "up ready 100%\n")
            metrics = http_request(d.port, "GET", "/metrics")[2].decode()
            self.assertIn('gomoku_http_requests_total{route="play",code="503"} 1\n', metrics)
            self.assertIn('gomoku_http_requests_total{route="play",code="200"} 2\n', metrics)
            self.assertIn('gomoku_http_requests_total{route="ready",code="503"}', metrics)
        finally:
            d.stop()
            d.log.close()

    def test_health_while_every_thread_searches(self):
        with Daemon(["-t", "2", "-q", "2", "--max-time-ms", str(LONG_MS)], name="all-busy") as d:
            rec = game([(7, 7)], max_time_ms=LONG_MS)
            jobs = [Background(d.port, rec) for _ in range(2)]
            wait_until(lambda: get_json(d.port, "/health")[1]["busy"] == 2, what="both busy")
            for _ in range(20):
                status, doc = get_json(d.port, "/health", timeout=5)
                self.assertEqual(status, 200)
                self.assertEqual(get_json(d.port, "/ready", timeout=5)[0], 503)
            for job in jobs:
                self.assertEqual(job.answer()[0], 200)
            wait_until(lambda: get_json(d.port, "/ready")[0] == 200, what="/ready 200 again")

    def test_queue_zero_refuses_when_busy(self):
        with Daemon(["-t", "1", "-q", "0", "--max-time-ms", "10000"], name="queue0") as d:
            job = Background(d.port, game([(7, 7)], max_time_ms=2000))
            wait_until(lambda: get_json(d.port, "/health")[1]["busy"] == 1, what="busy")
            status, headers, _ = http_request(d.port, "POST", "/gomoku/play",
                                              game([(7, 7)], max_time_ms=10), timeout=5)
            self.assertEqual(status, 503)
            # The running search has at most 2 s of its budget left: the
            # slot frees within 2 s, not within --max-time-ms (10 s).
            self.assertIn(headers["retry-after"], ("1", "2"))
            self.assertEqual(job.answer()[0], 200)

    def test_retry_after_follows_the_backlog(self):
        # One thread searching for up to 4 s, two moves of 1 s queued: a
        # thread is free for a new move in 2 s + what is left of the 4 s,
        # i.e. 3..6 s. --max-time-ms (20 s) is only the ceiling.
        d = Daemon(["-t", "1", "-q", "2", "--max-time-ms", "20000", "--drain-ms", "0"],
                   name="retry-after").start()
        try:
            jobs = [Background(d.port, game([(7, 7)], max_time_ms=4000))]
            wait_until(lambda: get_json(d.port, "/health")[1]["busy"] == 1, what="busy")
            jobs += [Background(d.port, game([(7, 7)], max_time_ms=1000)) for _ in range(2)]
            wait_until(lambda: get_json(d.port, "/health")[1]["queued"] == 2, what="2 queued")
            status, headers, body = http_request(d.port, "POST", "/gomoku/play",
                                                 game([(7, 7)], max_time_ms=10), timeout=5)
            self.assertEqual(status, 503, body)
            self.assertIn(int(headers["retry-after"]), range(3, 7))
            # --drain-ms 0: SIGTERM stops the searches at their best move.
            d.send_signal(signal.SIGTERM)
            for job in jobs:
                self.assertEqual(job.answer()[0], 200)
            self.assertEqual(d.wait(20), 0)
        finally:
            d.stop()
            d.log.close()


if __name__ == "__main__":
    run_tests()
