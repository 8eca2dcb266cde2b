"""Review decisions per second with 10 concurrent reviewers: SQLite against PostgreSQL.

    .venv/bin/python scripts/bench_decisions.py                       # starts a throw-away PostgreSQL
    .venv/bin/python scripts/bench_decisions.py --postgres postgresql://me@/adapt?host=/run/postgresql

Each reviewer is a thread with its own store (its own connection, as each server process has), making
decisions with version checks (accept, edit, undo in turn) for --seconds. Two rounds per database:
"own rows" (each reviewer works on suggestions nobody else touches) and "same rows" (all ten fight over
20 suggestions: the losers get a version conflict, counted, and nothing is lost). Prints decisions/s,
conflicts, and the median / 95th percentile latency of one decision, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapt.document import Segment  # noqa: E402
from adapt.errors import ConflictError  # noqa: E402
from adapt.store import NewResource, NewSuggestion, Store  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(location: Path | str, suggestions: int) -> list[int]:
    with Store(location) as store:
        segments = [Segment(f"p-{i}", "paragraph", f"Sentence number {i}.") for i in range(suggestions)]
        rid, _ = store.add_resource(NewResource("markdown", "bench.md", uuid.uuid4().bytes, language="en"), segments)
        news = [NewSuggestion(rid, s.id, "translate", "pt", s.source_text, f"Frase número {i}.", {"engine": "bench"})
                for i, s in enumerate(store.segments(rid))]
        return [i for i in store.add_suggestions(news) if i is not None]


def reviewer(location: Path | str, name: str, ids: list[int], seconds: float, out: dict[str, Any]) -> None:
    latencies: list[float] = []
    conflicts = 0
    with Store(location) as store:
        versions = {i: store.suggestion(i).version for i in ids}
        deadline = time.perf_counter() + seconds
        turn = 0
        while time.perf_counter() < deadline:
            sid = ids[turn % len(ids)]
            action = ("accept", "edit", "undo")[(turn // len(ids)) % 3]
            started = time.perf_counter()
            try:
                if action == "accept":
                    done = store.accept(sid, actor=name, expected_version=versions[sid])
                elif action == "edit":
                    done = store.edit(sid, f"Editado por {name}.", actor=name, expected_version=versions[sid])
                else:
                    done = store.undo(sid, actor=name, expected_version=versions[sid])
                versions[sid] = done.version
            except ConflictError:
                conflicts += 1
                versions[sid] = store.suggestion(sid).version  # reload, as the UI asks the reviewer to
            except Exception as exc:  # noqa: BLE001 - e.g. undo with nothing to undo after others' undos
                if "no decision to undo" not in str(exc):
                    raise
                versions[sid] = store.suggestion(sid).version
            latencies.append(time.perf_counter() - started)
            turn += 1
    out[name] = {"latencies": latencies, "conflicts": conflicts}


def round_(location: Path | str, reviewers: int, seconds: float, shared: bool) -> dict[str, Any]:
    ids = prepare(location, 20 if shared else 40 * reviewers)
    out: dict[str, Any] = {}
    threads = []
    for n in range(reviewers):
        mine = ids if shared else ids[n::reviewers]
        threads.append(threading.Thread(target=reviewer, args=(location, f"r{n}", mine, seconds, out)))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies = sorted(x for r in out.values() for x in r["latencies"])
    conflicts = sum(r["conflicts"] for r in out.values())
    with Store(location) as store:
        logged = sum(len(store.decisions(i)) for i in ids)
    return {
        "rows": "same rows" if shared else "own rows", "attempts": len(latencies), "decisions": logged,
        "conflicts": conflicts, "decisions_per_s": round(logged / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2), "load": load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: start a throw-away server)")
    parser.add_argument("--reviewers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-decisions-")
    started_server = None
    url = args.postgres
    if url is None:
        started_server = Path(tempfile.mkdtemp(prefix="bench-decisions-pg-"))  # its own folder: postgres must reach it
        url = subprocess.run(["bash", str(REPO / "scripts" / "pg_server.sh"), "start", str(started_server)],
                             check=True, capture_output=True, text=True).stdout.strip()
    rows = []
    try:
        import psycopg

        from adapt.store.postgres import with_search_path

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        databases = {"sqlite": Path(folder) / "bench.db", "postgresql": with_search_path(url, schema)}
        print(f"{args.reviewers} reviewers, {args.seconds:.0f} s per round; {os.cpu_count()} CPUs; load {load()}",
              flush=True)
        for name, location in databases.items():
            for shared in (False, True):
                row = {"database": name, **round_(location, args.reviewers, args.seconds, shared)}
                rows.append(row)
                print(f"  {name:<11}{row['rows']:<10} {row['decisions_per_s']:>8} decisions/s  "
                      f"{row['conflicts']:>5} conflicts  p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  "
                      f"(load {row['load']})", flush=True)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        if started_server is not None:
            subprocess.run(["bash", str(REPO / "scripts" / "pg_server.sh"), "stop", str(started_server)],
                           capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
