#!/usr/bin/env python3
"""The daemon's USDT probes (src/httpd/probes.h) and deploy/trace/*.bt.

The binary must carry the seven probe notes of provider "gomoku". Where
bpftrace can attach (root, uprobes), a live daemon is traced and every probe
must fire exactly as often as the requests made call for; where it cannot,
those tests are skipped with the reason.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import unittest

from harness import (SOURCE_DIR, Daemon, binary, game, http_request, run_tests, scaled,
                     wait_until)

PROBES = ("request__start", "request__done", "search__start", "search__done", "queue__full",
          "drain__start", "drain__done")
TRACE_DIR = os.path.join(SOURCE_DIR, "deploy", "trace")

# Counts every probe, and search__done's "stopped" argument; printed as
# "name count" lines at the end (the daemon's exit ends bpftrace, -p).
COUNT_SCRIPT = "BEGIN { printf(\"attached\\n\"); }\n" + "".join(
    f"usdt::gomoku:{p} {{ @{p} = @{p} + 1; }}\n" for p in PROBES) + \
    "usdt::gomoku:search__done /arg4 == 1/ { @stopped = @stopped + 1; }\n" + \
    "END {\n" + "".join(f"    printf(\"{p} %d\\n\", @{p});\n" for p in PROBES + ("stopped",)) + \
    "".join(f"    clear(@{p});\n" for p in PROBES + ("stopped",)) + "}\n"


def probe_notes(path):
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True, timeout=30)
    return re.findall(r"Provider: (\S+)\s+Name: (\S+)", out.stdout)


_attach_reason = None


def bpftrace_unavailable():
    """None when bpftrace can attach a uprobe here, else the reason."""
    global _attach_reason
    if _attach_reason is not None:
        return _attach_reason or None
    reason = ""
    if shutil.which("bpftrace") is None:
        reason = "bpftrace is not installed (scripts/setup installs it)"
    elif os.geteuid() != 0:
        reason = "bpftrace needs root (CAP_BPF, CAP_PERFMON)"
    else:
        # A uprobe on the daemon's own binary, without running it.
        p = subprocess.run(["bpftrace", "-e",
                            f"uprobe:{binary('gomoku-httpd')}:main {{ }} BEGIN {{ exit(); }}"],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            reason = "bpftrace cannot attach here: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    _attach_reason = reason
    return reason or None


class Tracer:
    """bpftrace running `script` against pid; output collected in a thread
    that only ever reads its own pipe and ends with it."""

    def __init__(self, script, pid, args=(), attach=True):
        cmd = ["bpftrace"] + (["-p", str(pid)] if attach else [])
        self.proc = subprocess.Popen(cmd + [script] + [str(a) for a in args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, text=True)
        self.lines = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith(("attached", "Counting", "Tracing")):
                self.ready.set()
        self.ready.set()  # ended: do not keep a waiter waiting

    def wait_ready(self, timeout):
        if not self.ready.wait(timeout) or self.proc.poll() is not None:
            self.kill()
            raise AssertionError("bpftrace did not attach:\n" + "\n".join(self.lines[-20:]))

    def finish(self, timeout):
        """Waits for bpftrace to end by itself; returns its output."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("bpftrace did not end:\n" + "\n".join(self.lines[-20:]))
        self.reader.join(timeout)  # the pipe is at its end: the thread ends
        self.proc.stdout.close()
        return self.lines

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(10)
        self.proc.stdout.close()


class ProbeNotes(unittest.TestCase):
    def test_binary_carries_every_probe(self):
        if shutil.which("readelf") is None:
            self.skipTest("readelf is not installed")
        notes = probe_notes(binary("gomoku-httpd"))
        if not notes:
            self.skipTest("gomoku-httpd was built without <sys/sdt.h> (systemtap-sdt-dev)")
        names = {name for provider, name in notes if provider == "gomoku"}
        self.assertEqual(names, set(PROBES))


class LiveTrace(unittest.TestCase):
    def setUp(self):
        reason = bpftrace_unavailable()
        if reason:
            self.skipTest(reason)
        if not probe_notes(binary("gomoku-httpd")):
            self.skipTest("gomoku-httpd was built without <sys/sdt.h> (systemtap-sdt-dev)")

    def test_probe_counts_equal_requests(self):
        script = os.path.join(os.environ.get("GOMOKU_BUILD_DIR", "."), "test-trace-count.bt")
        with open(script, "w") as f:
            f.write(COUNT_SCRIPT)
        # One search thread and a queue of one: two long searches fill
        # them, a third move is refused (queue__full), and the drain stops
        # both (the queued one starts with its stop flag set).
        d = Daemon(["-t", "1", "-q", "1", "--drain-ms", "100", "--max-time-ms", "60000"])
        d.start()
        made = [0]  # requests made while traced

        def request(method, path, **kw):
            made[0] += 1
            return http_request(d.port, method, path, **kw)

        def gauge(name):
            text = request("GET", "/metrics")[2].decode()
            return int(re.search(rf"^{name} (\d+)", text, re.M).group(1))

        tracer = None
        answers = []
        threads = []
        try:
            tracer = Tracer(script, d.pid)
            tracer.wait_ready(60)
            for path in ("/health", "/ready", "/nowhere"):
                request("GET", path)
            quick = game([(7, 7)], x="human", o="AI", depth=2)
            self.assertEqual(request("POST", "/gomoku/play", body=quick)[0], 200)
            long_move = game([(7, 7)], x="human", o="AI", max_time_ms=60000)
            for what in ("gomoku_search_threads_busy", "gomoku_queue_length"):
                t = threading.Thread(target=lambda: answers.append(
                    request("POST", "/gomoku/play", timeout=scaled(120), body=long_move)))
                t.start()
                threads.append(t)
                # With one thread, "busy" also means the quick search's
                # slot is free again: the same thread took the next job.
                wait_until(lambda what=what: gauge(what) == 1, what=what + " 1")
            self.assertEqual(request("POST", "/gomoku/play", body=quick)[0], 503)
            d.send_signal(signal.SIGTERM)
            for t in threads:
                t.join(scaled(120))
                self.assertFalse(t.is_alive())
            self.assertEqual([a[0] for a in answers], [200, 200])
            self.assertEqual(d.wait(60), 0)
            d.check_sanitizers()
            lines = tracer.finish(60)
        finally:
            if tracer is not None:
                tracer.kill()
            d.kill()
            d.log.close()
        counts = {m.group(1): int(m.group(2)) for m in
                  (re.match(r"(\w+) (\d+)$", line) for line in lines) if m}
        self.assertEqual(set(counts), set(PROBES) | {"stopped"}, "\n".join(lines))
        self.assertEqual(counts["request__start"], made[0])
        self.assertEqual(counts["request__done"], made[0])
        self.assertEqual(counts["search__start"], 3)
        self.assertEqual(counts["search__done"], 3)
        self.assertEqual(counts["stopped"], 2)
        self.assertEqual(counts["queue__full"], 1)
        self.assertEqual(counts["drain__start"], 1)
        self.assertEqual(counts["drain__done"], 1)

    def test_idle_daemon_makes_no_system_calls(self):
        if not os.path.isdir("/sys/kernel/tracing/events/raw_syscalls"):
            self.skipTest("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)")
        with Daemon(["-t", "2"]) as d:
            http_request(d.port, "GET", "/health")  # every thread has started
            # The deploy script itself, for 2 s instead of 10.
            tracer = Tracer(os.path.join(TRACE_DIR, "idle-syscalls.bt"), d.pid, args=(d.pid, 2),
                            attach=False)
            try:
                tracer.wait_ready(60)
                lines = tracer.finish(60)
            finally:
                tracer.kill()
        summary = [line for line in lines if line.startswith("system calls of pid")]
        self.assertEqual(len(summary), 1, "\n".join(lines))
        self.assertTrue(summary[0].endswith(": 0"), "\n".join(lines))


if __name__ == "__main__":
    run_tests()
