"""One-minute soak (bench/soak) under AddressSanitizer and LeakSanitizer:
mixed traffic with zero errors, no RSS growth beyond noise, every file
descriptor given back, then SIGTERM: exit status 0 and not a single
sanitizer report (LeakSanitizer runs at exit, so a leak fails the test).

Runs only where it means something: when $GOMOKU_BIN_DIR/gomoku-httpd is an
ASan build (the sanitizer build of `make test-sanitize`); elsewhere it is
skipped. GOMOKU_SOAK_SECONDS changes the length (default 60).
"""

import importlib.machinery
import importlib.util
import os
import unittest

from harness import SOURCE_DIR, Daemon, binary, run_tests

SECONDS = float(os.environ.get("GOMOKU_SOAK_SECONDS", "60"))


def asan_build(path):
    """True when the binary was linked with AddressSanitizer (it then
    imports __asan_init)."""
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


def load_soak():
    path = os.path.join(SOURCE_DIR, "bench", "soak")
    loader = importlib.machinery.SourceFileLoader("soak", path)
    spec = importlib.util.spec_from_loader("soak", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class SanitizerSoak(unittest.TestCase):
    def test_one_minute_soak_under_asan(self):
        daemon = binary("gomoku-httpd")
        if not asan_build(daemon):
            raise unittest.SkipTest("not a sanitizer build: the soak under ASan runs in "
                                    "make test-sanitize")
        soak = load_soak()
        # A small quarantine: freed memory is recycled sooner, so the RSS
        # comparison sees leaks rather than ASan holding freed blocks (the
        # default 256 MiB quarantine fills for minutes). The RSS baseline
        # is taken after a third of the run, once ASan's caches are full.
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = {"ASAN_OPTIONS": (asan + ":" if asan else "") + "quarantine_size_mb=4"}
        d = Daemon(["-t", "2", "-q", "8", "--hash-mb", "8", "--max-time-ms", "250",
                    "--idle-timeout", "5"], name="soak-asan", env=env).start()
        try:
            report = soak.soak(d.port, d.pid, SECONDS, clients=4, seed=1, warmup=SECONDS / 3)
            soak.print_report(report)
        finally:
            # Exit status 0 and no report of any sanitizer, leaks included.
            d.stop()
            d.log.close()
        self.assertEqual(report["errors"], 0, report["error_samples"])
        self.assertTrue(report["ok"], report["problems"])
        self.assertGreater(report["by_kind"].get("play", 0), 0)


if __name__ == "__main__":
    run_tests()
