"""gomoku-httpd under systemd, without systemd: socket activation (a
listening socket handed over as fd 3, the agent's as fd 4 when named
"agent", LISTEN_PID = the daemon's pid) and readiness notification
(READY=1 once it listens, STOPPING=1 when the drain begins, as datagrams to
$NOTIFY_SOCKET, a path or an abstract name).

LISTEN_PID must be the pid of the daemon itself, which the test cannot know
before the fork: a small shell wrapper sets it to its own pid ($$) and then
exec()s the daemon, which keeps the pid."""

import fcntl
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

from harness import (LOG_DIR, Daemon, game, get_json, http_request, run_tests, sanitizer_env,
                     wait_until)
from test_httpd_load import Background, agent_line

_names = itertools.count()


def listening_socket(backlog=64):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(backlog)
    return s


class Activated(Daemon):
    """The daemon started the way systemd starts a socket-activated service:
    `sockets` become fds 3, 4, ... of the daemon, LISTEN_PID is its pid and
    LISTEN_FDS (and LISTEN_FDNAMES, from `names`) describe them. `port` is
    where to wait for /health (the HTTP socket's port)."""

    def __init__(self, args, sockets, port, names=None, env=None, name="activated",
                 ready_path="/health", listen_pid=None):
        extra = {"LISTEN_FDS": str(len(sockets))}
        if names is not None:
            extra["LISTEN_FDNAMES"] = ":".join(names)
        extra.update(env or {})
        super().__init__(args, name=name, bind=False, env=extra, ready_path=ready_path)
        self.sockets = sockets
        self.port = port
        self.listen_pid = listen_pid  # None: the daemon's own pid

    def start(self):
        os.makedirs(LOG_DIR, exist_ok=True)
        self.log_path = os.path.join(LOG_DIR, f"{self.name}-{os.getpid()}-{next(_names)}.log")
        # Copies above the low numbers (close-on-exec in this process, so no
        # other child inherits them); the child moves them to 3, 4, ...
        high = [fcntl.fcntl(s.fileno(), fcntl.F_DUPFD_CLOEXEC, 10) for s in self.sockets]

        def move_to_listen_fds():
            for i, fd in enumerate(high):
                os.dup2(fd, 3 + i)  # dup2 clears close-on-exec

        pid = "$$" if self.listen_pid is None else str(self.listen_pid)
        argv = ["/bin/sh", "-c", f'LISTEN_PID={pid} exec "$0" "$@"', self.program] + self.args
        env = sanitizer_env(self.log_path)
        env.update(self.extra_env)
        self.log = open(self.log_path, "wb")
        self.log.write(("$ " + " ".join(argv) + "\n").encode())
        self.log.flush()
        try:
            self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, close_fds=False,
                                         preexec_fn=move_to_listen_fds)
        finally:
            for fd in high:
                os.close(fd)
        if self.ready_path is not None:
            self.wait_ready()
        return self


class SocketActivation(unittest.TestCase):
    def test_plays_through_the_inherited_socket_and_leaves_it_listening(self):
        http = listening_socket()
        agent = listening_socket()
        port = http.getsockname()[1]
        # --bind names the port systemd holds: binding it would fail, so a
        # daemon that serves at all has used the inherited socket.
        d = Activated(["-t", "1", "-b", f"127.0.0.1:{port}", "-a", "0"], [http, agent], port,
                      names=["gomoku-httpd@9901.socket", "agent"], name="activated").start()
        try:
            status, _, body = http_request(port, "POST", "/gomoku/play",
                                           game([(7, 7)], max_time_ms=50))
            self.assertEqual(status, 200)
            self.assertEqual(len(json.loads(body)["moves"]), 2)
            self.assertEqual(agent_line(agent.getsockname()[1]), "up ready 100%\n")
            log = d.read_log()
            self.assertIn("socket activation: serving on the socket systemd passed (fd 3, "
                          f"127.0.0.1:{port}); --bind is ignored", log)
            self.assertIn("--agent-port is ignored", log)
            self.assertIn(f"listening on http://127.0.0.1:{port}/", log)
            self.assertEqual(d.stop(), 0)
        finally:
            d.stop()
            d.log.close()

        # The daemon is gone but the socket, shared with "systemd" (us),
        # still listens: a client connects and waits in the backlog...
        waiting = socket.create_connection(("127.0.0.1", port), timeout=20)
        waiting.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        # ...and the next instance on the same socket answers it.
        d2 = Activated(["-t", "1"], [http], port, name="activated-next").start()
        try:
            answer = b""
            while not answer.endswith(b"}"):
                chunk = waiting.recv(4096)
                if not chunk:
                    break
                answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer)
            waiting.close()
            self.assertEqual(d2.stop(), 0)
        finally:
            d2.stop()
            d2.log.close()
            http.close()
            agent.close()

    def test_sigterm_keeps_the_inherited_socket_listening_during_the_drain(self):
        http = listening_socket()
        port = http.getsockname()[1]
        d = Activated(["-t", "1", "--max-time-ms", "3000"], [http], port,
                      name="activated-drain").start()
        try:
            job = Background(port, game([(7, 7)], max_time_ms=3000))
            wait_until(lambda: get_json(port, "/health")[1]["busy"] == 1, what="search running")
            d.send_signal(signal.SIGTERM)
            wait_until(lambda: "draining" in d.read_log(), what="drain start")
            # Not refused (as with a socket of its own): the connection is
            # accepted by the kernel and waits for the next instance.
            with socket.create_connection(("127.0.0.1", port), timeout=10):
                pass
            self.assertEqual(job.answer()[0], 200)
            self.assertEqual(d.wait(20), 0)
        finally:
            d.stop()
            d.log.close()
            http.close()

    def test_sockets_that_cannot_serve_are_refused_clearly(self):
        cases = []
        unbound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        unbound.bind(("127.0.0.1", 0))  # bound, never listen()ed
        cases.append(([unbound], None, "HTTP socket: fd 3 is a TCP socket that is not listening"))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        cases.append(([udp], None, "HTTP socket: fd 3 is not a TCP socket"))
        tmp = tempfile.mkdtemp(prefix="gomoku-sd-")
        local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        local.bind(os.path.join(tmp, "s"))
        local.listen(4)
        cases.append(([local], None, "HTTP socket: fd 3 is not a TCP socket"))
        good = listening_socket()
        cases.append(([good, udp], ["http", "agent"], "agent socket: fd 4 is not a TCP socket"))
        cases.append(([good, good], ["http", "web"], "neither is named \"agent\""))
        cases.append(([good], ["agent"], "the HTTP socket is missing"))
        try:
            for sockets, names, message in cases:
                d = Activated(["-t", "1", "-b", "127.0.0.1:0"], sockets, None, names=names,
                              name="activated-bad", ready_path=None).start()
                try:
                    self.assertEqual(d.wait(20), 1, message)
                    self.assertIn(message, d.read_log())
                    d.check_sanitizers()
                finally:
                    d.kill()
                    d.log.close()
        finally:
            for s in (unbound, udp, local, good):
                s.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def test_listen_pid_of_another_process_is_ignored(self):
        # What a wrapper that forks instead of exec()ing produces: the
        # variables are not ours, so --bind is used (with a warning).
        http = listening_socket()
        d = Activated(["-t", "1", "-b", "127.0.0.1:0"], [http], None, listen_pid=1,
                      name="activated-other", ready_path=None).start()
        try:
            wait_until(lambda: "listening on" in d.read_log() or not d.alive(),
                       what="startup")
            log = d.read_log()
            self.assertIn("LISTEN_PID=1 is not this process", log)
            self.assertIn("binding --bind instead", log)
            self.assertNotIn(f":{http.getsockname()[1]}/", log)
            self.assertEqual(d.stop(), 0)
        finally:
            d.stop()
            d.log.close()
            http.close()


class Notify(unittest.TestCase):
    def receiver(self, abstract):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            name = f"gomoku-notify-{os.getpid()}-{next(_names)}"
            s.bind("\0" + name)
            return s, "@" + name
        tmp = tempfile.mkdtemp(prefix="gomoku-notify-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "notify")
        s.bind(path)
        return s, path

    def messages(self, sock, timeout=20):
        """Assignments of the next datagram, as a dict."""
        sock.settimeout(timeout)
        data = sock.recv(4096).decode()
        return dict(line.split("=", 1) for line in data.split("\n") if line)

    def test_ready_once_listening_and_stopping_when_the_drain_begins(self):
        sock, name = self.receiver(abstract=False)
        d = Daemon(["-t", "1", "--max-time-ms", "3000"], name="notify",
                   env={"NOTIFY_SOCKET": name}, ready_path=None).start()
        try:
            msg = self.messages(sock)
            self.assertEqual(msg.get("READY"), "1", msg)
            self.assertIn(f"http://127.0.0.1:{d.port}/", msg.get("STATUS", ""))
            # READY=1 means listening: no waiting, no retry.
            self.assertEqual(http_request(d.port, "GET", "/health", timeout=5)[0], 200)

            job = Background(d.port, game([(7, 7)], max_time_ms=3000))
            wait_until(lambda: get_json(d.port, "/health")[1]["busy"] == 1, what="search running")
            d.send_signal(signal.SIGTERM)
            msg = self.messages(sock)
            self.assertEqual(msg.get("STOPPING"), "1", msg)
            self.assertIn("draining: 1 searches in progress", msg.get("STATUS", ""))
            # Sent when the drain begins, not at exit: the search still runs.
            self.assertTrue(d.alive())
            self.assertEqual(job.answer()[0], 200)
            self.assertEqual(d.wait(20), 0)
            # Nothing else was sent.
            sock.settimeout(0.2)
            with self.assertRaises(socket.timeout):
                sock.recv(4096)
        finally:
            d.stop()
            d.log.close()
            sock.close()

    def test_abstract_socket_name(self):
        sock, name = self.receiver(abstract=True)
        d = Daemon(["-t", "1"], name="notify-abstract", env={"NOTIFY_SOCKET": name},
                   ready_path=None).start()
        try:
            self.assertEqual(self.messages(sock).get("READY"), "1")
            d.send_signal(signal.SIGTERM)
            self.assertEqual(self.messages(sock).get("STOPPING"), "1")
            self.assertEqual(d.wait(20), 0)
        finally:
            d.stop()
            d.log.close()
            sock.close()

    def test_unusable_notify_socket_is_a_warning(self):
        d = Daemon(["-t", "1"], name="notify-bad",
                   env={"NOTIFY_SOCKET": "/nonexistent/gomoku/notify"}).start()
        try:
            self.assertEqual(http_request(d.port, "GET", "/health")[0], 200)
            wait_until(lambda: "cannot notify systemd at /nonexistent/gomoku/notify"
                       in d.read_log(), what="the warning")
            self.assertEqual(d.stop(), 0)
        finally:
            d.stop()
            d.log.close()


if __name__ == "__main__":
    run_tests()
