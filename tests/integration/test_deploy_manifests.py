"""Static checks of everything under deploy/: the Kubernetes manifests, the
HAProxy configurations (rendered template and the Kubernetes ConfigMap, both
through `haproxy -c`), the systemd units (`systemd-analyze verify` where it
exists) and the swarm script (shellcheck where it exists).

The YAML is read with PyYAML (Debian: python3-yaml). If the interpreter that
runs this test has no yaml module, the test re-runs itself once with
/usr/bin/python3, which is where the Debian package installs it.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    yaml = None
    if os.path.exists("/usr/bin/python3") and os.environ.get("GOMOKU_YAML_REEXEC") != "1" \
            and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.environ["GOMOKU_YAML_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SOURCE_DIR, run_tests  # noqa: E402

DEPLOY = os.path.join(SOURCE_DIR, "deploy")
K8S = os.path.join(DEPLOY, "k8s")
SYSTEMD = os.path.join(DEPLOY, "systemd")
SWARM = os.path.join(DEPLOY, "gomoku-swarm")


def find_haproxy():
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)


def haproxy_check(test, text):
    exe = find_haproxy()
    if exe is None:
        test.skipTest("haproxy is not installed (scripts/setup installs it)")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "haproxy.cfg")
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([exe, "-c", "-f", path], capture_output=True, text=True, timeout=60)
    test.assertEqual(p.returncode, 0, f"haproxy -c rejected the config:\n{p.stdout}{p.stderr}")
    # Warnings are mistakes too (e.g. an ignored keyword).
    test.assertNotIn("[WARNING]", p.stdout + p.stderr)


def arg_value(args, name):
    """Value of "--name V" or "--name=V" in an argument list."""
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return None


def cpu_cores(q):
    q = str(q)
    return int(q[:-1]) / 1000 if q.endswith("m") else float(q)


def duration_s(text):
    m = re.fullmatch(r"(\d+)(ms|s|m)?", text)
    assert m, text
    v = int(m.group(1))
    return {"ms": v / 1000, "s": v, "m": v * 60, None: v / 1000}[m.group(2)]


@unittest.skipIf(yaml is None, "no YAML parser: install python3-yaml (scripts/setup)")
class KubernetesManifestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = []
        for path in sorted(glob.glob(os.path.join(K8S, "*.yaml"))):
            with open(path) as f:
                for doc in yaml.safe_load_all(f):
                    if doc is not None:
                        cls.docs.append((os.path.basename(path), doc))

    def kind(self, kind, name=None):
        found = [d for _, d in self.docs if d.get("kind") == kind
                 and (name is None or d["metadata"]["name"] == name)]
        self.assertTrue(found, f"no {kind} {name or ''}")
        return found

    def engine(self):
        dep = self.kind("Deployment", "gomoku-httpd")[0]
        return dep, dep["spec"]["template"]["spec"]["containers"][0]

    def test_every_document_is_a_well_formed_object(self):
        self.assertGreaterEqual(len(self.docs), 9)
        for path, doc in self.docs:
            self.assertIsInstance(doc, dict, path)
            self.assertIn("apiVersion", doc, path)
            self.assertIn("kind", doc, path)
            if doc["kind"] == "Kustomization":
                listed = sorted(doc["resources"])
                present = sorted(os.path.basename(p) for p in glob.glob(os.path.join(K8S, "*.yaml"))
                                 if not p.endswith("kustomization.yaml"))
                self.assertEqual(listed, present, "kustomization lists every manifest")
                continue
            self.assertIn("name", doc["metadata"], path)
            if doc["kind"] != "Namespace":
                self.assertEqual(doc["metadata"].get("namespace"), "gomoku", path)
        kinds = {d["kind"] for _, d in self.docs}
        for k in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                  "ConfigMap"):
            self.assertIn(k, kinds)

    def test_engine_probes_ports_and_bind(self):
        dep, c = self.engine()
        args = c["args"]
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        bind = arg_value(args, "--bind")
        self.assertIsNotNone(bind, "the daemon binds 127.0.0.1 unless --bind is given")
        host, port = bind.rsplit(":", 1)
        self.assertEqual(host, "0.0.0.0")
        self.assertEqual(int(port), ports["http"])
        self.assertEqual(int(arg_value(args, "--agent-port")), ports["agent"])
        ready, live = c["readinessProbe"]["httpGet"], c["livenessProbe"]["httpGet"]
        # The queue-aware variant: a pod whose threads are all busy but whose
        # queue has room stays in the Service (docs/api.md, GET /ready).
        self.assertEqual(ready["path"], "/ready?queue=1")
        self.assertEqual(live["path"], "/health")
        for probe in (ready, live, c["startupProbe"]["httpGet"]):
            self.assertIn(probe["port"], (ports["http"], "http"))
        # Liveness must be more patient than readiness.
        lv, rd = c["livenessProbe"], c["readinessProbe"]
        self.assertGreater(lv["periodSeconds"] * lv["failureThreshold"],
                           rd["periodSeconds"] * rd["failureThreshold"])

    def test_engine_resources_are_one_cpu_per_search_thread(self):
        _, c = self.engine()
        threads = int(arg_value(c["args"], "--threads"))
        res = c["resources"]
        self.assertEqual(cpu_cores(res["requests"]["cpu"]), threads)
        self.assertEqual(cpu_cores(res["limits"]["cpu"]), threads)
        self.assertEqual(res["requests"]["memory"], res["limits"]["memory"], "Guaranteed QoS")
        mem_mi = int(res["limits"]["memory"].rstrip("Mi"))
        hash_mb = int(arg_value(c["args"], "--hash-mb"))
        self.assertGreater(mem_mi, hash_mb * threads + 64, "room for the hash tables")

    def test_engine_image_is_the_one_make_image_builds(self):
        with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
            version = re.search(r"project\(gomoku-httpd VERSION (\S+)", f.read()).group(1)
        with open(os.path.join(SOURCE_DIR, "scripts", "build-image")) as f:
            image_uid = int(re.search(r"^uid=(\d+)", f.read(), re.M).group(1))
        dep, c = self.engine()
        self.assertEqual(c["image"], f"gomoku-httpd:{version}")
        kust = self.kind("Kustomization")[0]
        entry = next(i for i in kust["images"] if i["name"] == "gomoku-httpd")
        self.assertEqual(str(entry["newTag"]), version)
        self.assertEqual(dep["spec"]["template"]["spec"]["securityContext"]["runAsUser"],
                         image_uid)

    def test_engine_grace_period_covers_prestop_and_drain(self):
        dep, c = self.engine()
        spec = dep["spec"]["template"]["spec"]
        # The image has no shell: the built-in sleep action, not exec.
        self.assertNotIn("exec", c["lifecycle"]["preStop"])
        pre_stop = float(c["lifecycle"]["preStop"]["sleep"]["seconds"])
        drain = int(arg_value(c["args"], "--drain-ms")) / 1000
        max_time = int(arg_value(c["args"], "--max-time-ms")) / 1000
        self.assertGreater(spec["terminationGracePeriodSeconds"], pre_stop + drain + max_time)
        strategy = dep["spec"]["strategy"]["rollingUpdate"]
        self.assertEqual(strategy["maxUnavailable"], 0, "rolling updates never lose capacity")

    def test_security_contexts(self):
        for dep in self.kind("Deployment"):
            spec = dep["spec"]["template"]["spec"]
            name = dep["metadata"]["name"]
            self.assertTrue(spec["securityContext"]["runAsNonRoot"], name)
            self.assertNotEqual(spec["securityContext"].get("runAsUser"), 0, name)
            self.assertFalse(spec.get("automountServiceAccountToken", True), name)
            for c in spec["containers"]:
                sc = c["securityContext"]
                self.assertTrue(sc["readOnlyRootFilesystem"], name)
                self.assertFalse(sc["allowPrivilegeEscalation"], name)
                self.assertEqual(sc["capabilities"]["drop"], ["ALL"], name)
                self.assertNotIn("add", sc["capabilities"], name)

    def test_selectors_match_pod_labels(self):
        deployments = {d["metadata"]["name"]: d for d in self.kind("Deployment")}
        pod_labels = {}
        for name, dep in deployments.items():
            sel = dep["spec"]["selector"]["matchLabels"]
            labels = dep["spec"]["template"]["metadata"]["labels"]
            self.assertLessEqual(sel.items(), labels.items(), name)
            pod_labels[name] = labels
        ports_by_deployment = {
            name: {p["name"]: p["containerPort"] for c in dep["spec"]["template"]["spec"]
                   ["containers"] for p in c["ports"]}
            for name, dep in deployments.items()}

        def targets(selector):
            return [n for n, labels in pod_labels.items() if selector.items() <= labels.items()]

        for svc in self.kind("Service"):
            name = svc["metadata"]["name"]
            hits = targets(svc["spec"]["selector"])
            self.assertEqual(len(hits), 1, f"service {name} selects {hits}")
            for p in svc["spec"]["ports"]:
                self.assertIn(p["targetPort"], ports_by_deployment[hits[0]],
                              f"service {name} port {p['name']}")
        for pdb in self.kind("PodDisruptionBudget"):
            self.assertEqual(len(targets(pdb["spec"]["selector"]["matchLabels"])), 1)
        hpa = self.kind("HorizontalPodAutoscaler", "gomoku-httpd")[0]
        ref = hpa["spec"]["scaleTargetRef"]
        self.assertEqual((ref["kind"], ref["name"]), ("Deployment", "gomoku-httpd"))
        self.assertIn(ref["name"], deployments)
        self.assertNotIn("replicas", deployments["gomoku-httpd"]["spec"],
                         "the HPA owns the replica count")
        pdb = self.kind("PodDisruptionBudget", "gomoku-httpd")[0]
        self.assertGreater(hpa["spec"]["minReplicas"], pdb["spec"]["maxUnavailable"])
        self.assertGreaterEqual(hpa["spec"]["minReplicas"], 2)
        self.assertEqual(hpa["spec"]["metrics"][0]["resource"]["name"], "cpu")

    def test_headless_service_publishes_every_engine_pod(self):
        svc = self.kind("Service", "gomoku-httpd-pods")[0]
        self.assertEqual(svc["spec"]["clusterIP"], "None")
        self.assertTrue(svc["spec"]["publishNotReadyAddresses"])

    def test_haproxy_configmap_matches_the_engine(self):
        cfg = self.kind("ConfigMap", "gomoku-haproxy")[0]["data"]["haproxy.cfg"]
        haproxy_check(self, cfg)
        _, c = self.engine()
        threads = arg_value(c["args"], "--threads")
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        m = re.search(r"^\s*server-template \S+ \S+ (\S+):(\d+) (.*)$", cfg, re.M)
        self.assertIsNotNone(m, "server-template line")
        fqdn, port, opts = m.group(1), int(m.group(2)), m.group(3).split()
        svc = self.kind("Service", "gomoku-httpd-pods")[0]
        self.assertEqual(fqdn, f"{svc['metadata']['name']}.{svc['metadata']['namespace']}"
                               ".svc.cluster.local")
        self.assertEqual(port, ports["http"])
        self.assertEqual(opts[opts.index("maxconn") + 1], threads, "maxconn = threads")
        self.assertEqual(int(opts[opts.index("agent-port") + 1]), ports["agent"])
        self.assertIn("check", opts)
        check_common_haproxy_rules(self, cfg, max_time_ms=int(arg_value(c["args"],
                                                                         "--max-time-ms")))
        # HAProxy's pod mounts this ConfigMap and exposes its bind port.
        dep = self.kind("Deployment", "gomoku-haproxy")[0]
        spec = dep["spec"]["template"]["spec"]
        self.assertEqual(spec["volumes"][0]["configMap"]["name"], "gomoku-haproxy")
        hp = {p["name"]: p["containerPort"] for p in spec["containers"][0]["ports"]}
        self.assertRegex(cfg, rf"bind :{hp['http']}\b")
        self.assertRegex(cfg, rf"bind :{hp['stats']}\b")
        mount = spec["containers"][0]["volumeMounts"][0]["mountPath"]
        cfg_arg = spec["containers"][0]["args"][spec["containers"][0]["args"].index("-f") + 1]
        self.assertEqual(os.path.dirname(cfg_arg), mount)


def check_common_haproxy_rules(test, cfg, max_time_ms):
    """The balancing rules every configuration of ours must have."""
    for rule in (r"balance leastconn", r"option httpchk",
                 r"http-check send meth GET uri /ready",
                 r"http-check expect status 200,503",
                 r"http-check expect rstring .*ready\|busy",
                 r"retry-on conn-failure empty-response response-timeout 503",
                 r"option redispatch", r"option forwardfor", r"retries\s+[1-9]",
                 r"timeout queue\s+\d+", r"prometheus-exporter", r"stats enable"):
        test.assertRegex(cfg, rule)
    server = duration_s(re.search(r"timeout server\s+(\S+)", cfg).group(1))
    client = duration_s(re.search(r"timeout client\s+(\S+)", cfg).group(1))
    test.assertGreater(server, max_time_ms / 1000 + 5, "timeout server above the longest search")
    test.assertGreaterEqual(client, server)
    test.assertNotRegex(cfg, r"maxqueue", "a per-server queue defeats leastconn's shared queue")


class SwarmConfigTest(unittest.TestCase):
    def render(self, *args):
        p = subprocess.run([SWARM, "config", *args, "--run-dir", "/tmp/gomoku-swarm-check"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_template_renders_a_valid_config_for_any_n(self):
        for n, threads, agent in ((1, 1, "1000"), (3, 1, "1000"), (7, 2, "0")):
            cfg = self.render(str(n), "--threads", str(threads), "--base-port", "21000",
                              "--agent-offset", agent, "--max-time-ms", "3000")
            self.assertNotRegex(cfg, r"@[A-Z_]+@", "placeholder left")
            haproxy_check(self, cfg)
            servers = re.findall(r"^\s*server (g\d+) 127\.0\.0\.1:(\d+) (.*)$", cfg, re.M)
            self.assertEqual([s[0] for s in servers], [f"g{i}" for i in range(1, n + 1)])
            self.assertEqual([int(s[1]) for s in servers], list(range(21000, 21000 + n)))
            for name, port, opts in servers:
                opts = opts.split()
                self.assertEqual(opts[opts.index("maxconn") + 1], str(threads))
                if agent == "0":
                    self.assertNotIn("agent-check", opts)
                else:
                    self.assertEqual(int(opts[opts.index("agent-port") + 1]), int(port) + 1000)
            check_common_haproxy_rules(self, cfg, max_time_ms=3000)
            self.assertRegex(cfg, r"stats socket /tmp/gomoku-swarm-check/haproxy\.sock .*level admin")
            for bind in re.findall(r"^\s*bind (\S+)", cfg, re.M):
                self.assertTrue(bind.startswith("127.0.0.1:"), f"{bind}: loopback by default")

    def test_script_is_shellcheck_clean(self):
        if shutil.which("shellcheck") is None:
            self.skipTest("shellcheck is not installed")
        scripts = [SWARM] + [p for p in (os.path.join(SOURCE_DIR, "bench", "swarm_bench.sh"),)
                             if os.path.exists(p)]
        p = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_script_syntax(self):
        p = subprocess.run(["bash", "-n", SWARM], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)


def read_unit(path):
    """{section: {key: [values]}}: systemd allows a key more than once."""
    sections, cur = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                cur = sections.setdefault(line.strip("[]"), {})
                continue
            key, sep, value = line.partition("=")
            assert sep and cur is not None, f"{path}: bad line {raw!r}"
            cur.setdefault(key.strip(), []).append(value.strip())
    return sections


class SystemdUnitTest(unittest.TestCase):
    def setUp(self):
        self.service = read_unit(os.path.join(SYSTEMD, "gomoku-httpd@.service"))
        self.svc = self.service["Service"]

    def one(self, key):
        self.assertIn(key, self.svc)
        return self.svc[key][-1]

    def test_hardening(self):
        for key, value in (("DynamicUser", "yes"), ("NoNewPrivileges", "yes"),
                           ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                           ("PrivateTmp", "yes"), ("PrivateDevices", "yes"),
                           ("MemoryDenyWriteExecute", "yes"), ("LockPersonality", "yes"),
                           ("CapabilityBoundingSet", ""), ("Restart", "on-failure"),
                           ("KillSignal", "SIGTERM")):
            self.assertEqual(self.one(key), value, key)
        self.assertIn("@system-service", self.svc["SystemCallFilter"])
        families = self.one("RestrictAddressFamilies").split()
        self.assertEqual(sorted(families), ["AF_INET", "AF_INET6", "AF_UNIX"])

    def test_instance_is_the_port_and_stop_outlasts_the_drain(self):
        exec_start = self.one("ExecStart")
        self.assertRegex(exec_start, r"--bind \$\{GOMOKU_HOST\}:%i\b")
        self.assertNotIn("--daemonize", exec_start)
        self.assertNotIn(" -d ", exec_start)
        env = self.read_env()
        opts = env["GOMOKU_OPTS"].split()
        drain = int(arg_value(opts, "--drain-ms")) / 1000
        max_time = int(arg_value(opts, "--max-time-ms")) / 1000
        stop = duration_s(self.one("TimeoutStopSec"))
        self.assertGreater(stop, drain + max_time + 2)
        self.assertEqual(self.service["Install"]["WantedBy"], ["gomoku-httpd.target"])
        self.assertIn("gomoku-httpd.target", self.service["Unit"]["PartOf"])

    def test_notify_and_socket_activation(self):
        # The daemon sends READY=1 itself (src/httpd/systemd.c).
        self.assertEqual(self.one("Type"), "notify")
        self.assertEqual(self.one("NotifyAccess"), "main")
        sock = read_unit(os.path.join(SYSTEMD, "gomoku-httpd@.socket"))["Socket"]
        # One listening socket for the instance of the same port, not named
        # "agent" (the daemon would take it for the agent-check's).
        self.assertEqual(sock["ListenStream"], ["127.0.0.1:%i"])
        self.assertEqual(sock.get("Accept", ["no"])[-1], "no")
        self.assertNotEqual(sock.get("FileDescriptorName", ["x"])[-1], "agent")
        self.assertNotIn("Service", sock, "the instance of the same name is the service")

    def read_env(self):
        env = {}
        with open(os.path.join(SYSTEMD, "gomoku-httpd.env")) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    k, _, v = line.partition("=")
                    env[k] = v
        return env

    def test_systemd_analyze_verify(self):
        exe = shutil.which("systemd-analyze")
        if exe is None:
            self.skipTest("systemd-analyze is not installed")
        with tempfile.TemporaryDirectory() as d:
            # verify insists that ExecStart's binary exists: point it at one
            # that does, and check a concrete instance of the template.
            with open(os.path.join(SYSTEMD, "gomoku-httpd@.service")) as f:
                text = f.read().replace("/usr/local/bin/gomoku-httpd", "/bin/true")
            inst = os.path.join(d, "gomoku-httpd@9901.service")
            with open(inst, "w") as f:
                f.write(text)
            target = os.path.join(d, "gomoku-httpd.target")
            shutil.copy(os.path.join(SYSTEMD, "gomoku-httpd.target"), target)
            sock = os.path.join(d, "gomoku-httpd@9901.socket")
            shutil.copy(os.path.join(SYSTEMD, "gomoku-httpd@.socket"), sock)
            p = subprocess.run([exe, "verify", "--man=no", inst, target, sock],
                               capture_output=True, text=True, timeout=120)
        out = p.stdout + p.stderr
        if p.returncode != 0 and ("Failed to" in out and "bus" in out.lower()):
            self.skipTest("systemd-analyze cannot run here: " + out[:200])
        self.assertEqual(p.returncode, 0, out)
        # Unknown keys and bad values are only warnings: fail on any output.
        self.assertEqual(out.strip(), "", out)


if __name__ == "__main__":
    run_tests()
