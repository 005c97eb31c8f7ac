"""The local swarm end to end: deploy/gomoku-swarm starts real gomoku-httpd
instances behind a real HAProxy on loopback, gomoku-http-client plays games
through the balancer, and instances are killed or restarted under load.

Every test starts its own swarm in its own run directory (under
$GOMOKU_BUILD_DIR/test-logs, kept for post-mortems) on free ports, and stops
it in tearDown even when the test failed; tearDown then checks that no
process of the swarm is left and that no sanitizer report was written.

This process makes itself a "child subreaper", so the daemons the script
starts (and leaves behind when it exits) become its children: their exit
codes can be checked, and they do not linger as zombies.
"""

import csv
import ctypes
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (BIN_DIR, LOG_DIR, SOURCE_DIR, binary, pid_alive, run_tests,  # noqa: E402
                     sanitizer_env, sanitizer_reports, wait_until)

SWARM = os.path.join(SOURCE_DIR, "deploy", "gomoku-swarm")
AGENT_OFFSET = 1000
N = 3

# Small budgets: a game of ~20 AI moves at 20-50 ms takes about a second, so
# 12 games at concurrency 6 on 3 one-thread instances last a few seconds.
TIME_MS = 30
CLIENT_TIMEOUT = 180  # bound on one client run (sanitizer builds are slow)


def _become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = _become_subreaper()


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_ports(n):
    """A base port such that the n instance ports, their agent ports (port +
    AGENT_OFFSET) and the balancer and stats ports (base + n, base + n + 1)
    are free. Below the kernel's ephemeral range, where free_port() of other
    tests draws from."""
    for _ in range(200):
        base = random.randrange(20000, 29000)
        ports = [base + i for i in range(n + 2)] + [base + AGENT_OFFSET + i for i in range(n)]
        if all(port_free(p) for p in ports):
            return base
    raise AssertionError("no free block of ports found")


def admin(sock_path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(sock_path)
        s.sendall(command.encode() + b"\n")
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
        return out.decode()
    finally:
        s.close()


def reap(pid):
    """Exit code of a child that has exited (via the subreaper), or None."""
    try:
        got, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    if got == 0:
        return None
    return os.waitstatus_to_exitcode(status)


class Swarm:
    """One swarm started by deploy/gomoku-swarm in its own run directory."""

    def __init__(self, n=N, threads=1):
        self.n = n
        self.threads = threads
        os.makedirs(LOG_DIR, exist_ok=True)
        self.run_dir = tempfile.mkdtemp(prefix="swarm-", dir=LOG_DIR)
        self.env = sanitizer_env(os.path.join(self.run_dir, "sanitizer"))
        self.env["GOMOKU_SWARM_RUN_DIR"] = self.run_dir
        self.exit_codes = {}
        self.seen_pids = set()

    def cli(self, *args, timeout=120, check=True):
        p = subprocess.run([SWARM, *args, "--run-dir", self.run_dir], capture_output=True,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL, env=self.env)
        if check and p.returncode != 0:
            raise AssertionError(f"gomoku-swarm {' '.join(args)} exited {p.returncode}:\n"
                                 f"{p.stdout}\n{p.stderr}")
        self.note_pids()
        return p

    def start(self):
        last = None
        for _ in range(3):
            self.base = pick_ports(self.n)
            self.lb_port = self.base + self.n
            self.stats_port = self.base + self.n + 1
            p = self.cli("start", str(self.n), "--bin-dir", BIN_DIR, "--base-port",
                         str(self.base), "--lb-port", str(self.lb_port), "--stats-port",
                         str(self.stats_port), "--agent-offset", str(AGENT_OFFSET),
                         "--threads", str(self.threads), "--max-time-ms", "2000",
                         "--check-inter", "1s", check=False)
            if p.returncode == 0:
                return p
            last = p
            if "already in use" not in p.stderr:
                break
        raise AssertionError(f"gomoku-swarm start failed:\n{last.stdout}\n{last.stderr}")

    def pid_file(self, name):
        path = os.path.join(self.run_dir, f"{name}.pid")
        try:
            with open(path) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def note_pids(self):
        for name in ["haproxy"] + [f"g{i}" for i in range(1, self.n + 1)]:
            pid = self.pid_file(name)
            if pid:
                self.seen_pids.add(pid)

    def pid(self, i):
        return self.pid_file(f"g{i}")

    def lb_stats(self):
        """{server name: row dict} of HAProxy's "show stat" for be_gomoku."""
        text = admin(os.path.join(self.run_dir, "haproxy.sock"), "show stat")
        rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
        return {r["svname"]: r for r in rows if r["pxname"] == "be_gomoku"}

    def status(self):
        """(exit code, {name: columns}) of gomoku-swarm status."""
        p = self.cli("status", check=False)
        rows = {}
        for line in p.stdout.splitlines():
            cols = line.split()
            if cols and cols[0].startswith("g") and cols[0][1:].isdigit():
                rows[cols[0]] = {"pid": cols[1], "port": cols[2], "alive": cols[4],
                                 "ready": cols[5], "lb": cols[7], "served": cols[11]}
        return p.returncode, rows, p.stdout

    def client(self, games=12, concurrency=6, time_ms=TIME_MS, tag="client"):
        """Argv and summary path of one gomoku-http-client run."""
        summary = os.path.join(self.run_dir, f"{tag}-{time.monotonic_ns()}.json")
        argv = [binary("gomoku-http-client"), "--url", f"http://127.0.0.1:{self.lb_port}",
                "-g", str(games), "-c", str(concurrency), "--time-ms", str(time_ms),
                "--json-summary", summary, "-q", "--no-progress", "--save-errors", self.run_dir]
        return argv, summary

    def play(self, **kw):
        """Runs the client to completion; (exit code, summary dict, output)."""
        argv, summary = self.client(**kw)
        p = subprocess.run(argv, capture_output=True, text=True, timeout=CLIENT_TIMEOUT,
                           stdin=subprocess.DEVNULL, env=self.env)
        return p.returncode, read_summary(summary), p.stdout + p.stderr

    def collect_exits(self):
        for pid in list(self.seen_pids):
            if pid not in self.exit_codes:
                rc = reap(pid)
                if rc is not None:
                    self.exit_codes[pid] = rc

    def stop_and_check(self, test):
        """Stops the swarm; every process it ever had must be gone."""
        self.note_pids()
        p = self.cli("stop", check=False)
        for pid in self.seen_pids:
            wait_until(lambda pid=pid: not pid_alive(pid), timeout=10,
                       what=f"pid {pid} of the swarm to exit")
        self.collect_exits()
        reports = []
        for name in os.listdir(self.run_dir):
            if name.endswith((".out", ".log")) or name.startswith("sanitizer"):
                reports += sanitizer_reports(os.path.join(self.run_dir, name))
        test.assertEqual(reports, [], "sanitizer reports in the swarm's logs")
        return p


def read_summary(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def require_tools():
    if shutil.which("haproxy") is None and not os.access("/usr/sbin/haproxy", os.X_OK):
        raise unittest.SkipTest("haproxy is not installed (scripts/setup installs it)")
    for tool in ("curl", "python3"):
        if shutil.which(tool) is None:
            raise unittest.SkipTest(f"{tool} is not installed")
    binary("gomoku-httpd")
    binary("gomoku-http-client")


class SwarmTest(unittest.TestCase):
    def setUp(self):
        require_tools()
        self.swarm = Swarm()
        self.swarm.start()

    def tearDown(self):
        self.swarm.stop_and_check(self)

    def assertAllGamesFinished(self, rc, summary, output, games):
        self.assertIsNotNone(summary, f"no summary written:\n{output}")
        self.assertEqual(rc, 0, f"client failed:\n{output}")
        self.assertEqual(summary["games"], games)
        self.assertEqual(summary["played"], games, output)
        self.assertEqual(summary["passed"], games, output)
        self.assertEqual(summary["failed"], 0, output)
        self.assertEqual(summary["errors"], 0, output)

    def test_games_through_the_balancer_reach_every_instance(self):
        rc, summary, out = self.swarm.play(games=12, concurrency=6)
        self.assertAllGamesFinished(rc, summary, out, 12)
        stats = self.swarm.lb_stats()
        for i in range(1, N + 1):
            self.assertGreater(int(stats[f"g{i}"]["stot"]), 0, f"g{i} served nothing: {stats}")
            self.assertEqual(stats[f"g{i}"]["slim"], "1", "maxconn = threads")
        self.assertEqual(int(stats["BACKEND"]["stot"]), summary["requests"] + summary["retries"],
                         "every request of the client went through the balancer")
        code, rows, text = self.swarm.status()
        self.assertEqual(code, 0, text)
        self.assertEqual(sorted(rows), [f"g{i}" for i in range(1, N + 1)], text)
        for name, row in rows.items():
            self.assertEqual(row["alive"], "alive", text)
            self.assertIn(row["ready"], ("idle", "busy"), text)
            self.assertEqual(row["lb"], "UP", text)
            self.assertGreater(int(row["served"]), 0, text)

    def test_kill_9_of_an_instance_loses_no_game(self):
        argv, summary_path = self.swarm.client(games=12, concurrency=6, time_ms=50, tag="kill")
        client = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=self.swarm.env, text=True)
        try:
            # Kill once the run is well under way, while every instance is
            # busy with moves.
            wait_until(lambda: int(self.swarm.lb_stats()["BACKEND"]["stot"]) >= 20
                       or client.poll() is not None, timeout=60, interval=0.05,
                       what="the first moves through the balancer")
            self.assertIsNone(client.poll(), "the run ended before the kill: make it longer")
            victim = self.swarm.pid(2)
            self.assertTrue(victim and pid_alive(victim))
            os.kill(victim, signal.SIGKILL)
            out, _ = client.communicate(timeout=CLIENT_TIMEOUT)
        finally:
            if client.poll() is None:
                client.kill()
                client.wait()
        summary = read_summary(summary_path)
        self.assertAllGamesFinished(client.returncode, summary, out, 12)
        wait_until(lambda: not pid_alive(victim), timeout=10, what="the killed instance to die")
        self.swarm.collect_exits()
        if SUBREAPER:
            self.assertEqual(self.swarm.exit_codes.get(victim), -signal.SIGKILL)
        # HAProxy has seen it fail on real traffic or, at the latest, after
        # two failed checks (1 s apart).
        wait_until(lambda: self.swarm.lb_stats()["g2"]["status"].startswith("DOWN"),
                   timeout=15, interval=0.2, what="HAProxy to mark g2 down")
        code, rows, text = self.swarm.status()
        self.assertEqual(code, 1, "status reports a degraded swarm:\n" + text)
        self.assertEqual(rows["g2"]["alive"], "dead", text)
        self.assertEqual(rows["g2"]["pid"], "-", text)
        self.assertTrue(rows["g2"]["lb"].startswith("DOWN"), text)
        for name in ("g1", "g3"):
            self.assertEqual(rows[name]["alive"], "alive", text)
            self.assertEqual(rows[name]["lb"], "UP", text)
        # restart brings the dead one back.
        self.swarm.cli("restart")
        code, rows, text = self.swarm.status()
        self.assertEqual(code, 0, text)
        self.assertEqual(rows["g2"]["alive"], "alive", text)

    def test_rolling_restart_under_load_fails_no_request(self):
        before = {i: self.swarm.pid(i) for i in range(1, N + 1)}
        results = []
        done = threading.Event()

        # Clients run back to back until the restart is over, so there is load
        # during every step of it (at most 20 runs).
        def load():
            for run in range(20):
                results.append(self.swarm.play(games=6, concurrency=6, time_ms=TIME_MS))
                if done.is_set():
                    return

        t = threading.Thread(target=load)
        t.start()
        try:
            wait_until(lambda: int(self.swarm.lb_stats()["BACKEND"]["stot"]) >= 10,
                       timeout=60, interval=0.05, what="load on the swarm")
            restart = self.swarm.cli("restart", timeout=300, check=False)
        finally:
            done.set()
            t.join(timeout=CLIENT_TIMEOUT * 2)
        self.assertEqual(restart.returncode, 0, restart.stdout + restart.stderr)
        self.assertFalse(t.is_alive())
        self.assertGreaterEqual(len(results), 1)
        for rc, summary, out in results:
            self.assertAllGamesFinished(rc, summary, out, 6)
        after = {i: self.swarm.pid(i) for i in range(1, N + 1)}
        for i in range(1, N + 1):
            self.assertNotEqual(before[i], after[i], f"g{i} was not restarted")
            self.assertFalse(pid_alive(before[i]))
        self.swarm.collect_exits()
        if SUBREAPER:
            for i in range(1, N + 1):
                self.assertEqual(self.swarm.exit_codes.get(before[i]), 0,
                                 f"g{i} exited {self.swarm.exit_codes.get(before[i])} on SIGTERM")
        code, rows, text = self.swarm.status()
        self.assertEqual(code, 0, text)

    def test_stop_is_graceful_and_leaves_nothing(self):
        rc, summary, out = self.swarm.play(games=2, concurrency=2)
        self.assertAllGamesFinished(rc, summary, out, 2)
        self.swarm.note_pids()
        pids = set(self.swarm.seen_pids)
        self.assertEqual(len(pids), N + 1)
        p = self.swarm.stop_and_check(self)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for pid in pids:
            self.assertFalse(pid_alive(pid), f"pid {pid} still runs after stop")
        if SUBREAPER:
            for pid in pids:
                self.assertEqual(self.swarm.exit_codes.get(pid), 0, f"pid {pid} exit code")
        ports = [self.swarm.lb_port, self.swarm.stats_port] + \
            [self.swarm.base + i for i in range(N)] + \
            [self.swarm.base + AGENT_OFFSET + i for i in range(N)]
        for port in ports:
            with socket.socket() as s:
                self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0, f"{port} still open")
        leftovers = [f for f in os.listdir(self.swarm.run_dir) if f.endswith((".pid", ".sock"))]
        self.assertEqual(leftovers, [])
        code, _, text = self.swarm.status()
        self.assertEqual(code, 3, text)
        # Stopping twice is harmless.
        self.assertEqual(self.swarm.cli("stop", check=False).returncode, 0)


class SwarmSafetyTest(unittest.TestCase):
    """The script never signals a process it did not start."""

    def test_foreign_pids_in_pid_files_are_left_alone(self):
        if shutil.which("python3") is None:
            self.skipTest("python3 missing")
        os.makedirs(LOG_DIR, exist_ok=True)
        run_dir = tempfile.mkdtemp(prefix="swarm-foreign-", dir=LOG_DIR)
        bystander = subprocess.Popen(["sleep", "60"], stdin=subprocess.DEVNULL)
        try:
            with open(os.path.join(run_dir, "swarm.state"), "w") as f:
                f.write("count=2\nhost=127.0.0.1\nlb_port=1\nstats_port=2\nbase_port=3\n"
                        "agent_offset=0\nthreads=1\nmax_time_ms=100\ncheck_inter=1s\n"
                        f"bin_dir={BIN_DIR}\nhaproxy_bin=/usr/sbin/haproxy\nextra=( )\n")
            for name, pid in (("g1", bystander.pid), ("g2", os.getpid()),
                              ("haproxy", bystander.pid)):
                with open(os.path.join(run_dir, f"{name}.pid"), "w") as f:
                    f.write(f"{pid}\n")
            env = dict(os.environ)
            status = subprocess.run([SWARM, "status", "--run-dir", run_dir], capture_output=True,
                                    text=True, timeout=60, env=env)
            self.assertEqual(status.returncode, 1, status.stdout + status.stderr)
            self.assertIn("haproxy   dead", status.stdout)
            stop = subprocess.run([SWARM, "stop", "--run-dir", run_dir], capture_output=True,
                                  text=True, timeout=60, env=env)
            self.assertEqual(stop.returncode, 0, stop.stdout + stop.stderr)
            self.assertIn("nothing running", stop.stdout)
            self.assertIsNone(bystander.poll(), "the script signalled a process it did not start")
        finally:
            bystander.kill()
            bystander.wait()

    def test_status_of_an_empty_run_dir(self):
        run_dir = tempfile.mkdtemp(prefix="swarm-empty-")
        try:
            p = subprocess.run([SWARM, "status", "--run-dir", run_dir], capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)

    def test_bad_command_lines_are_rejected(self):
        for args in (["start"], ["start", "0"], ["start", "2", "--threads", "x"],
                     ["start", "2", "--lb-port", "70000"], ["frobnicate"],
                     ["start", "2", "--bogus"]):
            p = subprocess.run([SWARM, *args, "--run-dir", "/nonexistent/swarm"],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2, f"{args}: {p.stdout}{p.stderr}")
            self.assertTrue(p.stderr.strip(), args)


if __name__ == "__main__":
    run_tests()
