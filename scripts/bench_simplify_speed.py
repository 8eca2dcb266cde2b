"""Speed of the simplifiers: sentences per second, by wall clock and by CPU time.

The shared machine is loaded, so wall time depends on the neighbours; CPU time (time.process_time: every
thread of this process, the encoder's included) is the steadier figure. Sentences come from ASSET
validation (development data), fed in batches of `--batch` like a simplify job's batches (16 segments).
Models are loaded and warmed before the clock starts.

    python scripts/bench_simplify_speed.py --limit 80 --simplifiers rules,structural,lexical,default
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WARM_UP = "The committee commenced the annual meeting, which was attended by numerous delegates."


def load_sentences(limit: int, offset: int) -> list[str]:
    from adapt.settings import Settings

    folder = Path(os.environ.get("OER_SHARED_DATA", "")) if os.environ.get("OER_SHARED_DATA") else None
    candidates = [folder] if folder else []
    candidates += [Path(__file__).resolve().parent.parent.parent / "shared" / "data", Settings.from_env().cache_dir]
    for root in candidates:
        path = root / "simplification" / "asset-valid" / "asset.valid.orig"
        if path.is_file():
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            return lines[offset : offset + limit]
    raise SystemExit("ASSET validation not found: set OER_SHARED_DATA to the shared data folder")


def measure(name: str, sentences: list[str], batch: int, target: float) -> dict[str, float]:
    from adapt.engines import english_grade
    from models.simplifiers import get_simplifier

    simplifier = get_simplifier(name, grade=english_grade)
    t0 = time.perf_counter()
    simplifier.simplify([WARM_UP], target_grade=target)  # load every model outside the timing
    load_s = time.perf_counter() - t0
    try:  # start cold: the parse cache must not carry docs from the previous simplifier's run
        from models.simplifiers import parsing

        parsing.clear()
    except ImportError:  # code from before the shared parse cache
        pass
    wall0, cpu0 = time.perf_counter(), time.process_time()
    changed = 0
    for start in range(0, len(sentences), batch):
        chunk = sentences[start : start + batch]
        changed += sum(o != s for o, s in zip(simplifier.simplify(chunk, target_grade=target), chunk))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"sentences": len(sentences), "changed": changed, "load_s": round(load_s, 2),
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "per_s_wall": round(len(sentences) / wall, 2), "per_s_cpu": round(len(sentences) / cpu, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--offset", type=int, default=200, help="first ASSET validation sentence")
    parser.add_argument("--batch", type=int, default=16, help="sentences per simplify() call")
    parser.add_argument("--simplifiers", default="rules,structural,lexical,default")
    parser.add_argument("--target-grade", type=float, default=6.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from adapt.settings import apply_offline_environment

    apply_offline_environment()
    sentences = load_sentences(args.limit, args.offset)
    report = {"load_average": os.getloadavg(), "cpus": os.cpu_count(), "batch": args.batch, "results": {}}
    for name in args.simplifiers.split(","):
        report["results"][name] = figures = measure(name.strip(), sentences, args.batch, args.target_grade)
        if not args.json:
            print(f"{name:<11} {figures['per_s_wall']:6.2f} sent/s wall  {figures['per_s_cpu']:6.2f} sent/s CPU  "
                  f"({figures['sentences']} sentences, {figures['changed']} changed, load {figures['load_s']}s)",
                  flush=True)
    report["load_average_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"load average {report['load_average'][0]:.1f} at start, {report['load_average_end'][0]:.1f} at end "
              f"({report['cpus']} CPUs), batches of {args.batch}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
