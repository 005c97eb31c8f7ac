"""Overload: far more concurrent move requests than search threads + queue.

One search thread, a queue of two, and 60 clients that send a ~200 ms move
request at the same moment (connections opened first, then one barrier):
  - every request gets exactly one answer: 200 or 503, no reset, no timeout;
  - every 503 carries Retry-After and a JSON error; every 200 is the request
    plus one legal move (the property test's referee);
  - the daemon never holds more than threads + queue searches (/health's
    busy + queued, sampled throughout);
  - /health keeps answering throughout (latency reported, bounded only
    generously), and the server's own counters agree with what the clients
    saw: nothing lost, nothing counted twice;
  - peak RSS (VmHWM) stays bounded (reported).
Figures are printed for docs/reliability.md.
"""

import http.client
import json
import os
import threading
import time
import unittest

from harness import Daemon, get_json, http_request, run_tests, wait_until
from test_reliability_property import check_answer

CLIENTS = 60
THREADS, QUEUE = 1, 2
BUDGET_MS = 200
HANG_BOUND_S = 60.0  # a hang, not a speed: nothing asserts that we are fast
RSS_BOUND_MB = 1024  # sanitizer builds hold several times the release RSS

# A quiet opening on 15x15 (no forced line; O, the AI, to move), so that
# each search uses its budget instead of finding a win at once.
POSITION = [(7, 7), (6, 8), (9, 6), (8, 9), (4, 10), (10, 4), (12, 12)]


def record(budget_ms=BUDGET_MS):
    moves = [{f"{'XO'[i % 2]} ({'human' if i % 2 == 0 else 'AI'})": [r, c]}
             for i, (r, c) in enumerate(POSITION)]
    return {"X": {"player": "human"}, "O": {"player": "AI", "max_time_ms": budget_ms},
            "board_size": 15, "moves": moves}


def percentiles(values):
    if not values:
        return {"n": 0}
    v = sorted(values)

    def at(q):
        return v[min(len(v) - 1, int(q * len(v)))]
    return {"n": len(v), "p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": v[-1]}


def fmt_ms(p):
    if p.get("n", 0) == 0:
        return "no samples"
    return (f"n={p['n']} p50={p['p50'] * 1e3:.1f} ms p90={p['p90'] * 1e3:.1f} ms "
            f"p99={p['p99'] * 1e3:.1f} ms max={p['max'] * 1e3:.1f} ms")


def proc_status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Probe(threading.Thread):
    """GET /health every few milliseconds on a new connection; keeps the
    latency, status and reported load of each."""

    def __init__(self, port, interval=0.005):
        super().__init__(daemon=True)
        self.port, self.interval = port, interval
        self.stop_event = threading.Event()
        self.latencies, self.failures = [], []
        self.max_busy = self.max_accepted = 0

    def run(self):
        while not self.stop_event.is_set():
            t0 = time.monotonic()
            try:
                status, _, body = http_request(self.port, "GET", "/health", timeout=HANG_BOUND_S)
                elapsed = time.monotonic() - t0
                if status != 200:
                    self.failures.append(f"status {status}")
                else:
                    doc = json.loads(body)
                    self.max_busy = max(self.max_busy, doc["busy"])
                    # Accepted = running + waiting. "queued" alone may
                    # exceed -q for a moment: a job handed to an idle
                    # thread counts as queued until that thread wakes.
                    self.max_accepted = max(self.max_accepted, doc["busy"] + doc["queued"])
                self.latencies.append(elapsed)
            except Exception as e:  # reported by the test
                self.failures.append(repr(e))
            self.stop_event.wait(self.interval)

    def finish(self):
        self.stop_event.set()
        self.join(HANG_BOUND_S)


class Client(threading.Thread):
    """Opens its connection, waits at the barrier, sends `requests` move
    requests one after the other on it, and keeps every answer."""

    def __init__(self, port, barrier, requests=1):
        super().__init__(daemon=True)
        self.port, self.barrier, self.requests = port, barrier, requests
        self.answers, self.error = [], None

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HANG_BOUND_S)
        try:
            conn.connect()
            self.barrier.wait(HANG_BOUND_S)
            body = json.dumps(record()).encode()
            for _ in range(self.requests):
                t0 = time.monotonic()
                conn.request("POST", "/gomoku/play", body=body,
                             headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                self.answers.append((resp.status, {k.lower(): v for k, v in resp.getheaders()},
                                     data, time.monotonic() - t0))
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                      timeout=HANG_BOUND_S)
        except Exception as e:  # reported by the test
            self.error = e
        finally:
            conn.close()


def play_counts(port):
    text = http_request(port, "GET", "/metrics")[2].decode()
    counts = {}
    for line in text.splitlines():
        if line.startswith('gomoku_http_requests_total{route="play"'):
            code = int(line.split('code="')[1].split('"')[0]) if 'code="' in line else 0
            counts[code] = int(float(line.split()[-1]))
    return {k: v for k, v in counts.items() if v}


class Overload(unittest.TestCase):
    def run_wave(self, d, clients, requests_each):
        before = play_counts(d.port)
        barrier = threading.Barrier(clients)
        probe = Probe(d.port)
        probe.start()
        hwm_samples = []
        stop_sampler = threading.Event()

        def sample():
            while not stop_sampler.is_set():
                hwm_samples.append(proc_status_kb(d.pid, "VmRSS") or 0)
                stop_sampler.wait(0.05)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.monotonic()
        workers = [Client(d.port, barrier, requests_each) for _ in range(clients)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(HANG_BOUND_S * 2)
        wall = time.monotonic() - t0
        probe.finish()
        stop_sampler.set()
        sampler.join(5)

        # Nothing lost: every request has exactly one answer.
        for w in workers:
            self.assertFalse(w.is_alive(), "a client is still waiting for an answer")
            self.assertIsNone(w.error, f"a client lost its answer: {w.error!r}")
            self.assertEqual(len(w.answers), requests_each)
        answers = [a for w in workers for a in w.answers]
        statuses = [a[0] for a in answers]
        self.assertTrue(set(statuses) <= {200, 503}, f"statuses {sorted(set(statuses))}")
        ok = [a for a in answers if a[0] == 200]
        refused = [a for a in answers if a[0] == 503]
        self.assertGreaterEqual(len(ok), THREADS + QUEUE, "the first arrivals were refused")
        self.assertGreater(len(refused), 0, "no request was refused: not an overload")
        for status, headers, body, _ in refused:
            self.assertGreaterEqual(int(headers["retry-after"]), 1)
            self.assertEqual(headers["content-type"], "application/json")
            doc = json.loads(body)
            self.assertEqual(set(doc), {"error", "field"})
            self.assertIn("queue is full", doc["error"])
        for status, headers, body, _ in ok:
            check_answer(record(), json.loads(body))

        # Capacity held, health answered throughout.
        self.assertEqual(probe.failures, [], "/health failed under overload")
        self.assertGreater(len(probe.latencies), 0)
        self.assertLessEqual(probe.max_busy, THREADS)
        self.assertLessEqual(probe.max_accepted, THREADS + QUEUE)

        # The server counted what the clients saw, once each.
        expected = dict(before)
        expected[200] = expected.get(200, 0) + len(ok)
        expected[503] = expected.get(503, 0) + len(refused)
        wait_until(lambda: play_counts(d.port) == expected, timeout=HANG_BOUND_S,
                   what=f"play counters {expected} (have {play_counts(d.port)})")
        wait_until(lambda: get_json(d.port, "/ready")[0] == 200, timeout=HANG_BOUND_S,
                   what="/ready 200 after the wave")
        return {
            "requests": len(answers), "ok": len(ok), "refused": len(refused), "wall_s": wall,
            "ok_latency": percentiles([a[3] for a in ok]),
            "refused_latency": percentiles([a[3] for a in refused]),
            "health": percentiles(probe.latencies),
            "rss_max_kb": max(hwm_samples) if hwm_samples else 0,
        }

    def report(self, name, r, d):
        hwm = proc_status_kb(d.pid, "VmHWM")
        print(f"\n{name}: {r['requests']} requests in {r['wall_s']:.2f} s: {r['ok']} x 200, "
              f"{r['refused']} x 503, 0 lost\n"
              f"  200 latency: {fmt_ms(r['ok_latency'])}\n"
              f"  503 latency: {fmt_ms(r['refused_latency'])}\n"
              f"  /health during the wave: {fmt_ms(r['health'])}\n"
              f"  RSS max during the wave {r['rss_max_kb'] / 1024:.1f} MiB, "
              f"VmHWM so far {hwm / 1024:.1f} MiB")
        return hwm

    def test_overload(self):
        with Daemon(["-t", str(THREADS), "-q", str(QUEUE), "--hash-mb", "8",
                     "--max-time-ms", str(BUDGET_MS)], name="overload") as d:
            hwm_start = proc_status_kb(d.pid, "VmHWM")
            print(f"\noverload: daemon pid {d.pid}, VmHWM at start {hwm_start / 1024:.1f} MiB")
            # One burst: 60 requests at once.
            burst = self.run_wave(d, CLIENTS, 1)
            self.report(f"burst of {CLIENTS}", burst, d)
            # Sustained: 60 keep-alive clients, 5 requests each back to back.
            sustained = self.run_wave(d, CLIENTS, 5)
            hwm = self.report(f"sustained {CLIENTS} x 5", sustained, d)
            self.assertLess(hwm / 1024, RSS_BOUND_MB, "peak RSS out of bounds")
            status, doc = get_json(d.port, "/health")
            self.assertEqual((status, doc["busy"], doc["queued"]), (200, 0, 0))


if __name__ == "__main__":
    run_tests()
