#!/usr/bin/env python3
"""scripts/lint-paths (run by make lint): a tracked file that points outside
the repository fails it, naming the file and line; cited names, relative
paths and untracked files do not."""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import SOURCE_DIR, run_tests

SCRIPT = os.path.join(SOURCE_DIR, "scripts", "lint-paths")


class LintPaths(unittest.TestCase):
    def setUp(self):
        if shutil.which("git") is None:
            self.skipTest("git is not installed")
        self.repo = tempfile.mkdtemp(prefix="lint-paths-")
        os.makedirs(os.path.join(self.repo, "scripts"))
        shutil.copy(SCRIPT, os.path.join(self.repo, "scripts", "lint-paths"))
        self.git("init", "-q")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def git(self, *args):
        subprocess.run(["git", "-C", self.repo] + list(args), check=True, timeout=30,
                       capture_output=True)

    def lint(self, files, track=True):
        for name, text in files.items():
            with open(os.path.join(self.repo, name), "w") as f:
                f.write(text)
        if track:
            self.git("add", "-A")
        return subprocess.run([os.path.join(self.repo, "scripts", "lint-paths")],
                              capture_output=True, text=True, timeout=30)

    def test_clean_tree_passes(self):
        p = self.lint({"a.md": "See http-stack.md 5.3, bench/selfplay.sh, ./run/x and a/work/b.\n"
                               "cmake -B /tmp/base/build; deploy to /opt/gomoku-httpd/run\n"})
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_each_kind_of_outside_path_fails(self):
        # Not spelled out: this file is tracked too.
        w, s, h, u, r = "work", "shared", "home", "Users", "root"
        for text in (f"runner: /{w}/{s}/tools/match.py\n", f"x=${{M:-/{w}/main/run}}\n",
                     f"see ../{s}/reference/notes.md\n", f"cd /{h}/alice/gomoku\n",
                     f"open /{u}/bob/src/gomoku\n", f"log in /{r}/gomoku/run\n"):
            with self.subTest(text=text):
                p = self.lint({"doc.md": "fine line\n" + text})
                self.assertEqual(p.returncode, 1, text)
                self.assertIn("doc.md:2:", p.stderr)

    def test_untracked_files_are_not_read(self):
        p = self.lint({"notes.txt": "/%s/scratch\n" % "work"}, track=False)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    run_tests()
