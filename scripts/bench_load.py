"""Load test of the review server: N simulated reviewers deciding over HTTP, then a check that nothing
acknowledged was lost.

    .venv/bin/python scripts/bench_load.py [--reviewers 10] [--rows 25] [--shared] [--seconds 20]
                                           [--max-decisions 5000] [--profile] [--json]

The server runs in its own process on 127.0.0.1 (the real `ui.server.serve`, real SQLite); the reviewers
are threads here, each logged in with its own session, each sending the same row action the review table
sends (`act`: accept / reject / edit / undo with the version it last saw) and reading the versions back
from the table it gets. By default each reviewer works on a resource of its own (`--rows` suggestions);
with `--shared` all of them work on the same rows, so they collide and the server must refuse stale
versions (conflicts) and lose nothing. It stops after `--seconds` or `--max-decisions`, whichever first.

Printed: decisions acknowledged per second, p50 / p95 / p99 latency of one action, conflicts, errors, and
the check: every acknowledged decision must be in the database's decision log (none lost). With
`--profile` the server samples its threads' stacks every 5 ms and prints where the time went.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password"
ROW_RE = re.compile(r'data-id="(\d+)" data-version="(\d+)"')
ACTIONS = (("accept", 0.45), ("reject", 0.2), ("edit", 0.25), ("undo", 0.1))


def row_html(table: str, sid: int) -> str:
    """One row of the review table's HTML (where the feedback about that row is)."""
    found = re.search(rf'<tr class="row[^"]*" data-id="{sid}".*?</tr>', table if isinstance(table, str) else "", re.S)
    return found.group(0) if found else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


# -- the server process ------------------------------------------------------------------------------


def seed(db: Path, reviewers: int, rows: int, shared: bool) -> list[int]:
    """Users r0..rN-1 (editors) and their resources, each with `rows` pending suggestions."""
    from adapt.formats import parse_stored
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from adapt.store import NewSuggestion

    service = AdaptService(Settings(db_path=db, cache_dir=db.parent, data_dir=db.parent))
    resources = []
    for n in range(1 if shared else reviewers):
        text = f"# Lesson {n}\n\n" + "\n\n".join(
            f"Paragraph {i} of lesson {n}: plants take in water through their roots." for i in range(rows)) + "\n"
        data = text.encode()
        rid = service.import_document(parse_stored("markdown", f"lesson{n}.md", data), data, language="en",
                                      license="CC-BY-4.0", owner="r0").resource_id
        segments = [s for s in service.store.segments(rid) if s.translatable][:rows]
        service.store.add_suggestions([NewSuggestion(rid, s.id, "translate", "pt", s.source_text,
                                                     f"(pt) {s.source_text}", {"model": "load"}) for s in segments])
        resources.append(rid)
    for n in range(reviewers):
        service.people.add(f"r{n}", "editor", PASSWORD)
    service.close()
    return resources


class Sampler:
    """Every `interval` s, the innermost frames of every server thread that is in our code or Gradio's:
    a poor man's profiler that sees all threads (cProfile sees one)."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.own: collections.Counter[str] = collections.Counter()
        self.total: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True, name="sampler").start()

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(self.interval):
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                stack = []
                while frame is not None:
                    code = frame.f_code
                    stack.append(f"{Path(code.co_filename).name}:{code.co_name}")
                    frame = frame.f_back
                if not stack or any(idle in stack[0] for idle in ("wait", "select", "sleep", "_worker", "accept",
                                                                     "get", "poll", "run_forever", "_run_once")):
                    continue  # an idle thread
                self.samples += 1
                self.own[stack[0]] += 1
                for name in set(stack):
                    self.total[name] += 1

    def reset(self) -> None:
        self.own.clear()
        self.total.clear()
        self.samples = 0

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({"samples": self.samples, "own": self.own.most_common(25),
                                    "total": self.total.most_common(120)}))


def serve_child(db: Path, port: int, profile: Path | None) -> None:
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from ui.server import serve

    sampler = Sampler() if profile else None
    service = AdaptService(Settings(db_path=db, cache_dir=db.parent, data_dir=db.parent))
    app = serve(service, host="127.0.0.1", port=port, block=False, quiet=True)
    if sampler:
        sampler.start()
        signal.signal(signal.SIGUSR1, lambda *_: sampler.reset())  # the measured part begins
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait(3600)
    if sampler and profile:
        sampler.dump(profile)
    app.close()
    service.stop_job_runner()
    os._exit(0)


# -- the reviewers -----------------------------------------------------------------------------------


class Reviewer(threading.Thread):
    def __init__(self, name: str, base: str, load_index: int, fn_index: int, trigger: int, resource: int,
                 deadline: float, budget: threading.Semaphore, seed_: int) -> None:
        super().__init__(daemon=True, name=name)
        self.user, self.base, self.fn_index, self.trigger = name, base, fn_index, trigger
        self.load_index = load_index
        self.resource, self.deadline, self.budget = resource, deadline, budget
        self.random = random.Random(seed_)
        self.latencies: list[float] = []
        self.acknowledged: list[tuple[int, str, str, str | None]] = []
        self.conflicts = 0
        self.refused = 0  # e.g. undo with nothing to undo: a correct refusal, not a loss
        self.errors: list[str] = []
        self.rows: dict[int, int] = {}
        self.ready = threading.Event()  # logged in and loaded: the clock starts when all are
        self.go = threading.Event()

    def act(self, http, payload: dict) -> tuple[str, str]:
        # The review table's inputs: resource, status, flag, language, search, page, selected row.
        body = {"data": [self.resource, "all", "any", "", "", 1, None], "event_data": payload,
                "fn_index": self.fn_index, "trigger_id": self.trigger, "session_hash": self.session}
        start = time.perf_counter()
        r = http.post("/gradio_api/run/predict", json=body)
        self.latencies.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code}: {r.text[:200]}")
        data = r.json()["data"]
        table, message = data[1], data[4]
        self.rows.update({int(i): int(v) for i, v in ROW_RE.findall(table if isinstance(table, str) else "")})
        return table, message if isinstance(message, str) else ""

    def run(self) -> None:
        import httpx

        self.session = f"{self.user}-{self.random.random()}"
        http = httpx.Client(base_url=self.base, headers={"origin": self.base}, timeout=60)
        try:
            r = http.post("/login", files={"username": (None, self.user), "password": (None, PASSWORD)})
            r.raise_for_status()
            # The page load, as a browser does it: it gives this session its resource list.
            http.post("/gradio_api/run/predict", json={"data": [], "fn_index": self.load_index,
                                                       "session_hash": self.session}).raise_for_status()
            self.act(http, {"action": "select", "id": 0, "version": 0})
            self.latencies.clear()
            self.ready.set()
            self.go.wait(600)
            while time.monotonic() < self.deadline and self.budget.acquire(blocking=False):
                sid = self.random.choice(sorted(self.rows))
                action = self.random.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
                text = f"{self.user} edit {self.random.randrange(10**6)}" if action == "edit" else None
                payload = {"action": action, "id": sid, "version": self.rows[sid]}
                if text:
                    payload["text"] = text
                table, message = self.act(http, payload)
                # A refusal is said on the row it is about (or, when that row left the view, as the message).
                said = message + row_html(table, sid)
                if "conflict" in message or 'data-testid="row-conflict"' in said:
                    self.conflicts += 1
                elif "error" in message or 'data-testid="row-error"' in said:
                    self.refused += 1
                else:
                    self.acknowledged.append((sid, action, self.user, text))
        except Exception as exc:  # noqa: BLE001 - counted and printed: the run goes on with the others
            stage = "deciding" if self.go.is_set() else "logging in / loading"
            self.errors.append(f"{stage}: {type(exc).__name__}: {exc}")
        finally:
            self.ready.set()
            http.close()


def find_events(http) -> tuple[int, int, int]:
    """(the page load's fn index, the table's `act` fn index, the table's component id) from /config."""
    config = http.get("/config").json()
    table = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "review-table")
    act = load = None
    for index, dep in enumerate(config["dependencies"]):
        targets = dep.get("targets", [])
        if act is None and any(t[0] == table and t[1] == "act" for t in targets):
            act = dep.get("id", index)
        if load is None and any(t[1] == "load" for t in targets):
            load = dep.get("id", index)
    if act is None or load is None:
        raise SystemExit("the page load or the review table's act event was not found in /config")
    return load, act, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviewers", type=int, default=10)
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--shared", action="store_true", help="every reviewer on the same rows")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-decisions", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve-child", nargs=3, metavar=("DB", "PORT", "PROFILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    from adapt.settings import apply_offline_environment

    apply_offline_environment()
    if args.serve_child:
        db, port, profile = args.serve_child
        serve_child(Path(db), int(port), Path(profile) if profile != "-" else None)
        return

    import httpx

    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    db = folder / "load.db"
    resources = seed(db, args.reviewers, args.rows, args.shared)
    port, profile = free_port(), folder / "profile.json"
    server = subprocess.Popen([sys.executable, __file__, "--serve-child", str(db), str(port),
                               str(profile) if args.profile else "-"], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to 120 s for the server to start on a loaded machine
            try:
                if httpx.get(base + "/config", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise SystemExit("the server process ended before it answered")
            time.sleep(0.2)
        else:
            raise SystemExit("the server did not answer within 120 s")
        probe = httpx.Client(base_url=base, headers={"origin": base}, timeout=60)
        probe.post("/login", files={"username": (None, "r0"), "password": (None, PASSWORD)}).raise_for_status()
        load_index, fn_index, trigger = find_events(probe)
        load_before = os.getloadavg()
        budget = threading.Semaphore(args.max_decisions)
        reviewers = [Reviewer(f"r{n}", base, load_index, fn_index, trigger, resources[0 if args.shared else n],
                              0.0, budget, n) for n in range(args.reviewers)]
        for r in reviewers:
            r.start()
        for r in reviewers:  # logins (scrypt) and page loads are not part of the measure
            r.ready.wait(300)
        if args.profile:
            server.send_signal(signal.SIGUSR1)  # the sampler starts afresh: logins are not measured
        start = time.monotonic()
        for r in reviewers:
            r.deadline = start + args.seconds
            r.go.set()
        for r in reviewers:
            r.join(args.seconds + 120)
        elapsed = time.monotonic() - start
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()

    acknowledged = collections.Counter(a for r in reviewers for a in r.acknowledged)
    with sqlite3.connect(db) as conn:
        # An accept logs the text it confirms (a reviewer's earlier edit), which the reviewer did not send:
        # only an edit's text is part of what must be found.
        logged = collections.Counter((int(s), a, u, t if a == "edit" else None) for s, a, u, t in conn.execute(
            "SELECT suggestion_id, action, actor, text FROM decisions"))
    missing = {key: n - logged[key] for key, n in acknowledged.items() if n > logged[key]}
    lost = sum(missing.values())
    lost_by_action = collections.Counter({a: 0 for a, _ in ACTIONS})
    for (_, action, _, _), n in missing.items():
        lost_by_action[action] += n
    latencies = [v for r in reviewers for v in r.latencies]
    ok = sum(acknowledged.values())
    result = {
        "reviewers": args.reviewers, "rows": args.rows, "shared": args.shared, "seconds": round(elapsed, 1),
        "decisions_acknowledged": ok, "decisions_per_s": round(ok / elapsed, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(latencies, .5), 1), "p95_ms": round(pct(latencies, .95), 1),
        "p99_ms": round(pct(latencies, .99), 1),
        "conflicts": sum(r.conflicts for r in reviewers), "refused": sum(r.refused for r in reviewers),
        "errors": [e for r in reviewers for e in r.errors], "lost": lost,
        "lost_by_action": dict(lost_by_action),
        "decisions_in_db": sum(logged.values()),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    if args.profile and profile.exists():
        result["profile"] = json.loads(profile.read_text())
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{args.reviewers} reviewers{' on the same rows' if args.shared else ''}, {elapsed:.1f} s: "
              f"{ok} decisions acknowledged = {result['decisions_per_s']} /s; latency p50 {result['p50_ms']} ms, "
              f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms; conflicts {result['conflicts']}, "
              f"refused {result['refused']}, errors {len(result['errors'])}, lost {lost}")
        print(f"load average before {result['load_average_before']}, after {result['load_average_after']}")
        if lost:
            print("lost by action:", dict(lost_by_action))
        for e in result["errors"][:5]:
            print("error:", e)
        if "profile" in result:
            p = result["profile"]
            print(f"profile ({p['samples']} busy samples): where the time is spent (own), then inclusive:")
            for name, n in p["own"][:15]:
                print(f"  {100 * n / max(1, p['samples']):5.1f}%  {name}")
            for name, n in p["total"][:30]:
                print(f"  {100 * n / max(1, p['samples']):5.1f}%  (incl) {name}")
    sys.exit(1 if lost or result["errors"] else 0)


if __name__ == "__main__":
    main()
