"""Shared helpers for the integration tests (Python 3 standard library only).

Start a real binary from $GOMOKU_BIN_DIR on a free loopback port, wait until
it answers /health, talk to it over http.client or raw sockets, stop it by PID
and check how it ended. Every daemon's output goes to a file under
$GOMOKU_BUILD_DIR/test-logs; a sanitizer report in it fails the test.

    from harness import Daemon, http_request, run_tests

    with Daemon(["-t", "1"]) as d:
        status, headers, body = http_request(d.port, "GET", "/health")

Used by the daemon's tests and reused by the client and swarm tests.
"""

import glob
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("GOMOKU_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
BIN_DIR = os.environ.get("GOMOKU_BIN_DIR", os.path.join(SOURCE_DIR, "bin"))
BUILD_DIR = os.environ.get("GOMOKU_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
LOG_DIR = os.path.join(BUILD_DIR, "test-logs")

SANITIZER_MARKERS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "LeakSanitizer",
    "runtime error:",
    "ERROR: ThreadSanitizer",
)

# Generous bounds: the suite shares two cores with other builds and tests,
# and sanitizer builds are several times slower. They only bound waits; no
# test asserts that something is fast.
START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0



def load_factor():
    """How much longer than on a quiet machine a wait may take now: the
    runnable threads per CPU (the larger of the 1-minute load average and
    the instantaneous count), at least 1, at most 8. A CPU hog or a parallel
    build beside the suite slows every daemon down; deadlines stretch with
    it, and a real hang still ends in a failure."""
    cpus = os.cpu_count() or 1
    try:
        with open("/proc/loadavg") as f:
            fields = f.read().split()
        load = max(float(fields[0]), float(fields[3].split("/")[0]) - 1)
    except (OSError, ValueError, IndexError):
        return 1.0
    return min(8.0, max(1.0, load / cpus))


def scaled(seconds):
    """A deadline of `seconds` on a quiet machine, stretched by load_factor()."""
    return seconds * load_factor()


# A command put in front of every gomoku-httpd that Daemon starts, e.g.
# "valgrind --error-exitcode=99 ..." (scripts/test-valgrind). Empty: none.
DAEMON_WRAPPER = shlex.split(os.environ.get("GOMOKU_DAEMON_WRAPPER", ""))
if DAEMON_WRAPPER:
    START_TIMEOUT = STOP_TIMEOUT = 120.0  # valgrind runs the daemon ~20-50x slower


def free_port(host="127.0.0.1"):
    """A TCP port that was free a moment ago on host (bind to port 0, close)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest(f"{path} is not built")
    return path


def _log_name(name):
    os.makedirs(LOG_DIR, exist_ok=True)
    stamp = time.strftime("%H%M%S")
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    for i in range(1000):
        path = os.path.join(LOG_DIR, f"{base}-{stamp}-{os.getpid()}-{i}.log")
        if not os.path.exists(path):
            return path
    raise RuntimeError("no free log file name")


def sanitizer_env(log_path):
    """Environment that sends sanitizer reports to files next to log_path,
    so that reports of a daemonized process (stderr on /dev/null) are seen."""
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        prefix = env.get(var, "")
        env[var] = (prefix + ":" if prefix else "") + f"log_path={log_path}.san"
    return env


def sanitizer_reports(log_path):
    """Texts of sanitizer reports in log_path and its .san.* side files."""
    found = []
    for path in [log_path] + sorted(glob.glob(log_path + ".san*")):
        try:
            with open(path, errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if any(m in text for m in SANITIZER_MARKERS):
            found.append(f"--- {path} ---\n{text[-6000:]}")
    return found


class DaemonError(AssertionError):
    pass


class Daemon:
    """One process of a binary of $GOMOKU_BIN_DIR.

    args are passed as they are; with bind=True, "-b 127.0.0.1:<free port>"
    is added first. ready_path is polled (GET, any status) until it answers,
    for at most START_TIMEOUT seconds (times load_factor()); None skips the
    wait. stop() sends SIGTERM, waits STOP_TIMEOUT (times load_factor()),
    then SIGKILLs and fails. Output (stdout and
    stderr) goes to self.log_path.
    """

    def __init__(self, args=(), name=None, program="gomoku-httpd", bind=True, host="127.0.0.1",
                 ready_path="/health", env=None):
        self.program = binary(program)
        self.args = list(args)
        self.name = name or program
        self.bind = bind
        self.host = host
        self.ready_path = ready_path
        self.extra_env = env or {}
        self.proc = None
        self.port = None
        self.log_path = None
        self.returncode = None

    @property
    def pid(self):
        return self.proc.pid

    def start(self):
        for attempt in range(3):
            self.port = free_port(self.host) if self.bind else None
            wrapped = DAEMON_WRAPPER if os.path.basename(self.program) == "gomoku-httpd" else []
            argv = wrapped + [self.program]
            if self.bind:
                shown = f"[{self.host}]" if ":" in self.host else self.host
                argv += ["-b", f"{shown}:{self.port}"]
            argv += self.args
            self.log_path = _log_name(self.name)
            env = sanitizer_env(self.log_path)
            env.update(self.extra_env)
            self.log = open(self.log_path, "wb")
            self.log.write(("$ " + " ".join(argv) + "\n").encode())
            self.log.flush()
            self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env)
            if self.ready_path is None:
                return self
            try:
                self.wait_ready()
                return self
            except DaemonError:
                # Another test may have taken the port between free_port()
                # and the bind: try another one.
                if self.proc.poll() == 1 and "in use" in self.read_log() and attempt < 2:
                    self.log.close()
                    continue
                raise
        return self

    def wait_ready(self, timeout=START_TIMEOUT):
        timeout = scaled(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError(f"{self.name} exited with {rc} during startup:\n"
                                  + self.read_log()[-3000:])
            try:
                http_request(self.port, "GET", self.ready_path, timeout=2, host=self.host)
                return
            except OSError:
                time.sleep(0.02)
        self.kill()
        raise DaemonError(f"{self.name} did not answer {self.ready_path} within {timeout} s:\n"
                          + self.read_log()[-3000:])

    def send_signal(self, sig):
        os.kill(self.proc.pid, sig)

    def wait(self, timeout=STOP_TIMEOUT):
        """Waits for the exit (the timeout stretched by the machine's load);
        returns the exit code or None on timeout."""
        try:
            self.returncode = self.proc.wait(timeout=scaled(timeout))
        except subprocess.TimeoutExpired:
            return None
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT, expect=0):
        """Sends sig, waits (bounded), checks the exit code and the log for
        sanitizer reports. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        rc = self.wait(timeout)
        if rc is None:
            self.kill()
            raise DaemonError(f"{self.name} (pid {self.proc.pid}) did not exit within {timeout} s"
                              f" of signal {sig}; killed. Log: {self.log_path}")
        self.check_sanitizers()
        if expect is not None and rc != expect:
            raise DaemonError(f"{self.name} exited with {rc}, expected {expect}:\n"
                              + self.read_log()[-3000:])
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.returncode = self.proc.returncode if self.proc else None

    def check_sanitizers(self):
        self.log.flush()
        reports = sanitizer_reports(self.log_path)
        if reports:
            raise DaemonError("sanitizer report:\n" + "\n".join(reports))

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.stop()
        else:
            self.kill()
            self.log.close()
            return False
        self.log.close()
        return False


def run_binary(args, program="gomoku-httpd", timeout=30, env=None):
    """Runs a binary to completion; returns (exit code, stdout, stderr)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([binary(program)] + list(args), capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL, env=full_env)
    for text in (p.stdout, p.stderr):
        if any(m in text for m in SANITIZER_MARKERS):
            raise DaemonError("sanitizer report:\n" + text[-6000:])
    return p.returncode, p.stdout, p.stderr


def http_request(port, method, path, body=None, headers=None, timeout=30, host="127.0.0.1"):
    """One request on a new connection. Returns (status, headers with
    lower-case names, body bytes). body may be bytes, str or a JSON-able
    object (then Content-Type is application/json)."""
    hdrs = dict(headers or {})
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
        hdrs.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def get_json(port, path, **kw):
    status, headers, body = http_request(port, "GET", path, **kw)
    return status, json.loads(body)


def raw_request(port, data, timeout=10, host="127.0.0.1", shutdown_write=False):
    """Sends raw bytes on a new connection and reads until the server closes
    it or `timeout` passes. Returns the bytes read (b"" if none). Errors of
    the send (the server may close early) are ignored: what matters is the
    answer."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(timeout)
    out = b""
    try:
        s.connect((host, port))
        try:
            s.sendall(data)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        s.close()
    return out


def parse_response(raw):
    """(status, headers with lower-case names, body) of the first response in
    raw bytes; status None when raw holds no status line."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    m = re.match(rb"HTTP/\d\.\d (\d{3})", lines[0]) if lines else None
    if not m:
        return None, {}, raw
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.decode("latin-1").strip().lower()] = v.decode("latin-1").strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return int(m.group(1)), headers, body


def ctxt_switches(pid):
    """Sum of voluntary and involuntary context switches of every thread."""
    total = 0
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            with open(status) as f:
                for line in f:
                    if "ctxt_switches" in line:
                        total += int(line.split()[1])
        except OSError:
            pass  # a thread ended meanwhile
    return total


def thread_switches(pid):
    """{tid: (name, switches)} for every thread of pid."""
    out = {}
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        tid = status.split("/")[-2]
        name, n = "?", 0
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith("Name:"):
                        name = line.split(None, 1)[1].strip()
                    elif "ctxt_switches" in line:
                        n += int(line.split()[1])
        except OSError:
            continue
        out[tid] = (name, n)
    return out


def wait_until(predicate, timeout=20.0, interval=0.02, what="condition"):
    """Polls predicate() until it is true (bounded, the bound stretched by
    the machine's load); fails the test if not."""
    timeout = scaled(timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def game(moves=(), x="human", o="AI", board_size=15, **extra):
    """A game record: moves are [row, col] pairs played X, O, X, ...;
    extra keys go into the AI player's object (max_time_ms, depth) unless
    they are record keys (timeout, rule)."""
    record_keys = {"timeout", "rule", "radius", "winner"}
    players = {"X": {"player": x}, "O": {"player": o}}
    for k, v in extra.items():
        if k in record_keys:
            continue
        for side in ("X", "O"):
            if players[side]["player"] == "AI":
                players[side][k] = v
    rec = {"X": players["X"], "O": players["O"], "board_size": board_size, "moves": []}
    for k in record_keys & extra.keys():
        rec[k] = extra[k]
    for i, (r, c) in enumerate(moves):
        side = "X" if i % 2 == 0 else "O"
        kind = players[side]["player"]
        rec["moves"].append({f"{side} ({kind})": [r, c]})
    return rec


def run_tests():
    """unittest.main for a test file, with a one-line summary at the end and
    the exit status ctest reads."""
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    print(f"\nSUMMARY {os.path.basename(sys.argv[0])}: ran {r.testsRun}, "
          f"failures {len(r.failures)}, errors {len(r.errors)}, skipped {len(r.skipped)}")
    sys.exit(0 if r.wasSuccessful() else 1)
