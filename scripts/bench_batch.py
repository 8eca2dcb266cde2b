"""Batch translation on Ray against one plain `adapt translate`, on the same book, in one run.

    .venv/bin/python scripts/bench_batch.py                 # the whole Introduction to Python Programming, en->pt
    .venv/bin/python scripts/bench_batch.py --modules 8     # its first 8 modules only (a quick look)

Runs, each in a fresh database and a fresh process: (a) `adapt translate BOOK --to pt`, (b) `adapt batch
translate BOOK --to pt --workers N` for each N in --workers. Prints seconds, segments/s and the ratio
to (a) side by side, then Ray's own overhead: starting a local cluster, and one no-op actor call (the
cost every batch pays on top of its model time). The load average is printed with every figure: the
machine is shared. --json writes everything machine-readable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BOOK = "oer/openstax-intro-python/collections/introduction-python-programming.collection.xml"
MODULES = "oer/openstax-intro-python/modules"


def shared_data() -> Path:
    env = os.environ.get("ADAPT_SHARED_DATA")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared" / "data", REPO / "shared" / "data"]:
        if candidate.is_dir():
            return candidate
    sys.exit("the shared data folder is missing: set ADAPT_SHARED_DATA")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def adapt(args: list[str], folder: Path) -> tuple[dict[str, Any], float]:
    env = {**os.environ, "ADAPT_USER": "bench", "ADAPT_DB": str(folder / "bench.db"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "adapt", *args, "--json"], cwd=folder, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"adapt {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout), seconds


def ray_overhead(calls: int = 200) -> dict[str, float]:
    """Cluster start, and the round trip of a no-op call on an actor (what a batch pays besides its work)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    from adapt.batch_ray import start_ray

    started = time.perf_counter()
    ray, owned = start_ray(1, None)
    start_seconds = time.perf_counter() - started

    class Nothing:
        def run(self, batch: list[Any]) -> int:
            return len(batch)

    actor = ray.remote(num_cpus=1)(Nothing).remote()
    ray.get(actor.run.remote([]))  # the actor's process is up
    payload = [{"text": "x" * 120}] * 32  # about one batch of segments
    started = time.perf_counter()
    for _ in range(calls):
        ray.get(actor.run.remote(payload))
    per_call = (time.perf_counter() - started) / calls
    if owned:
        ray.shutdown()
    return {"cluster_start_s": round(start_seconds, 2), "task_round_trip_ms": round(per_call * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=0, help="use the book's first N module files (0: the book)")
    parser.add_argument("--workers", default="1,2", help="Ray worker counts to run, comma-separated")
    parser.add_argument("--to", default="pt")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--overhead-only", action="store_true", help="measure Ray's own overhead only")
    args = parser.parse_args()
    if args.overhead_only:
        print(f"Ray overhead: {ray_overhead()} (load {load()})")
        return
    data = shared_data()
    if args.modules:
        folders = sorted((data / MODULES).iterdir())[: args.modules]
        inputs = [str(f / "index.cnxml") for f in folders]
        what = f"the first {len(inputs)} modules of Introduction to Python Programming"
    else:
        inputs = [str(data / BOOK)]
        what = "Introduction to Python Programming (whole book, one resource)"
    counts = [int(w) for w in args.workers.split(",") if w.strip()]
    rows: list[dict[str, Any]] = []
    print(f"{what}, en->{args.to}; {os.cpu_count()} CPUs; load before: {load()}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        segments = added = 0
        started = time.perf_counter()
        for path in inputs:  # one process per file, as a user would run it
            report, _ = adapt(["translate", path, "--to", args.to, "--no-memory"], Path(tmp))
            segments += report["segments"]
            added += report["suggestions"]
        rows.append({"run": "adapt translate", "workers": 1, "segments": segments, "added": added,
                     "seconds": round(time.perf_counter() - started, 2), "load": load()})
    print(f"  adapt translate: {rows[0]['seconds']} s for {segments} segments (load {rows[0]['load']})", flush=True)
    for workers in counts:
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            report, seconds = adapt(["batch", "translate", *inputs, "--to", args.to, "--no-memory",
                                     "--workers", str(workers)], Path(tmp))
        row = {"run": f"adapt batch --workers {workers}", "workers": workers, "segments": segments,
               "added": sum(r["added"] for r in report["resources"]), "seconds": round(seconds, 2), "load": load()}
        rows.append(row)
        print(f"  {row['run']}: {row['seconds']} s, {row['added']} added (load {row['load']})", flush=True)
    base = rows[0]["seconds"]
    for row in rows:
        row["segments_per_s"] = round(row["segments"] / row["seconds"], 2)
        row["speed_vs_translate"] = round(base / row["seconds"], 2)
    print(f"\n{'run':<26}{'seconds':>9}{'seg/s':>8}{'× translate':>13}{'added':>8}  load (1/5/15 min)")
    for row in rows:
        print(f"{row['run']:<26}{row['seconds']:>9}{row['segments_per_s']:>8}{row['speed_vs_translate']:>13}"
              f"{row['added']:>8}  {row['load']}")
    overhead = ray_overhead()
    print(f"\nRay overhead: local cluster start {overhead['cluster_start_s']} s; one no-op task with a "
          f"32-segment payload {overhead['task_round_trip_ms']} ms (load {load()})")
    if args.json:
        args.json.write_text(json.dumps({"what": what, "runs": rows, "ray": overhead, "cpus": os.cpu_count()},
                                        indent=2))


if __name__ == "__main__":
    main()
