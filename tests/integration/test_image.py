#!/usr/bin/env python3
"""The container image (scripts/build-image, `make image`).

Builds the image from this build's gomoku-httpd without pulling anything,
checks what it holds (size, labels, user, entrypoint, health check), runs it
with podman, plays a game through it with gomoku-http-client, and stops it
with SIGTERM during a search: the search is answered and the container exits
0. Where podman or buildah is missing, or containers cannot run on this
machine, the test is skipped with the reason.

PODMAN_ARGS (environment) are podman's global options for `run`; default
"--runtime runc" where runc is installed (crun does not run on the hybrid
cgroup layout of some VMs). docs/operations.md, "Container image", has the
flags this needs and why.
"""

import json
import os
import shlex
import shutil
import subprocess
import threading
import unittest

from harness import (SOURCE_DIR, binary, free_port, game, http_request, run_tests,
                     scaled, wait_until)

MAX_BYTES = 25 * 1000 * 1000
RUN_LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
# What podman or the OCI runtime says when the machine cannot run a
# container at all (as opposed to our image being broken).
CANNOT_RUN = ("OCI runtime error", "OCI permission denied", "runc create failed",
              "cgroups in hybrid mode", "crun:", "cannot set up namespace",
              "newuidmap", "not supported on this system")


def podman_args():
    if "PODMAN_ARGS" in os.environ:
        return shlex.split(os.environ["PODMAN_ARGS"])
    return ["--runtime", "runc"] if shutil.which("runc") else []


def sh(argv, timeout=120, check=True):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=scaled(timeout),
                       stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} exited with {p.returncode}:\n"
                             f"{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


class Image(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("podman", "buildah"):
            if shutil.which(tool) is None:
                raise unittest.SkipTest(f"{tool} is not installed (scripts/setup installs it)")
        daemon = binary("gomoku-httpd")
        if "libasan" in sh(["ldd", daemon]).stdout:
            raise unittest.SkipTest("images are built from release binaries; this build is "
                                    "instrumented with AddressSanitizer")
        cls.version = sh([daemon, "--version"]).stdout.split()[1]
        cls.name = f"localhost/gomoku-httpd-test-{os.getpid()}"
        env = dict(os.environ, IMAGE=cls.name)
        p = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "build-image"), daemon],
                           capture_output=True, text=True, timeout=scaled(120), env=env,
                           stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise AssertionError("scripts/build-image failed:\n" + p.stdout + p.stderr)
        cls.tag = p.stdout.strip().splitlines()[-1]
        cls.container = None

    @classmethod
    def tearDownClass(cls):
        sh(["podman", "rmi", "-f", cls.tag], check=False)

    def tearDown(self):
        if self.container:
            sh(["podman", "rm", "-f", "-t", "0", self.container], check=False)

    def inspect(self):
        return json.loads(sh(["podman", "image", "inspect", self.tag]).stdout)[0]

    def test_image_contents(self):
        self.assertEqual(self.tag, f"{self.name}:{self.version}")
        info = self.inspect()
        self.assertLess(info["Size"], MAX_BYTES)
        cfg = info["Config"]
        self.assertEqual(cfg["Entrypoint"], ["/usr/bin/gomoku-httpd"])
        self.assertEqual(cfg["Cmd"], ["--bind", "0.0.0.0:9900"])
        user = cfg["User"].split(":")
        self.assertNotIn(user[0], ("", "0", "root"))
        self.assertEqual(cfg["Labels"]["org.opencontainers.image.version"], self.version)
        self.assertRegex(cfg["Labels"]["org.opencontainers.image.revision"], r"^[0-9a-f]{7,}")
        self.assertEqual(cfg["Labels"]["org.opencontainers.image.title"], "gomoku-httpd")
        self.assertIn("--health-check", info["Healthcheck"]["Test"])
        # FROM scratch: one layer, no base image.
        self.assertEqual(len(info["RootFS"]["Layers"]), 1)

    def run_container(self, port, *args):
        name = f"gomoku-httpd-test-{os.getpid()}-{port}"
        argv = (["podman"] + podman_args() + ["run", "-d", "--name", name] + RUN_LIMITS
                + ["-p", f"127.0.0.1:{port}:9900", self.tag] + list(args))
        p = sh(argv, check=False)
        if p.returncode != 0:
            sh(["podman", "rm", "-f", name], check=False)
            if any(m in p.stderr for m in CANNOT_RUN):
                self.skipTest("containers cannot run here: " + p.stderr.strip().splitlines()[-1])
            raise AssertionError(f"podman run failed ({p.returncode}):\n{p.stderr[-3000:]}")
        self.container = name
        return name

    def logs(self):
        p = sh(["podman", "logs", self.container], check=False)
        return p.stdout + p.stderr

    def test_play_through_the_container_and_drain(self):
        port = free_port()
        # Flags after the image go to the daemon (the entrypoint).
        name = self.run_container(port, "--bind", "0.0.0.0:9900", "-t", "1",
                                  "--max-time-ms", "30000", "--drain-ms", "200")

        def up():
            try:
                return http_request(port, "GET", "/health", timeout=2)[0] == 200
            except OSError:
                return False
        try:
            wait_until(up, timeout=30, what="the container's /health")
        except AssertionError:
            raise AssertionError("the container did not answer:\n" + self.logs())
        doc = json.loads(http_request(port, "GET", "/health")[2])
        self.assertEqual((doc["threads"], doc["version"]), (1, self.version))

        # The image's own health check, run by podman (no systemd timer needed).
        hc = sh(["podman", "healthcheck", "run", name], check=False)
        self.assertEqual(hc.returncode, 0, hc.stdout + hc.stderr + self.logs())

        # A whole game, every reply verified by the client.
        client = sh([binary("gomoku-http-client"), "-p", str(port), "-g", "1", "-d", "2",
                     "--time-ms", "50", "--no-progress"], timeout=180, check=False)
        self.assertEqual(client.returncode, 0, client.stdout + client.stderr)
        self.assertRegex(client.stdout, r"games:\s+1\b")

        # SIGTERM during a long search: the search is stopped at its best
        # move and answered, then the daemon (pid 1) exits 0.
        answers = []
        t = threading.Thread(target=lambda: answers.append(http_request(
            port, "POST", "/gomoku/play", timeout=scaled(120),
            body=game([(7, 7)], x="human", o="AI", max_time_ms=30000))))
        t.start()
        wait_until(lambda: json.loads(http_request(port, "GET", "/health")[2])["busy"] == 1,
                   what="a search in the container")
        sh(["podman", "kill", "--signal", "TERM", name])
        t.join(scaled(120))
        self.assertFalse(t.is_alive())
        self.assertEqual(answers[0][0], 200, answers[0][2])
        code = sh(["podman", "wait", name], timeout=60).stdout.strip()
        logs = self.logs()
        self.assertEqual(code, "0", logs)
        self.assertIn("draining", logs)
        self.assertRegex(logs, r"stopping 1 searches at their best move")


if __name__ == "__main__":
    run_tests()
