"""How long tagging one module takes on a warm process (label vectors cached): prints the figures.

Warm means: the e5 weights are loaded and the ISCED-F label vectors (and the hub correction's pool) are
computed once, as a running `adapt serve` or a service that already tagged something has them. Each
module is then tagged as `adapt tag` does (Tagger.tag_texts: language, subject, keywords, reading and
educational level), without the store. The text cache of the embedder is cleared between modules so
that no module is served from an earlier one's vectors.

Wall time depends on what else runs on the machine; CPU time (time.process_time, all threads of the
process) is printed too, as the figure that is comparable on a loaded machine.

Run: python scripts/bench_tagging.py [--data ../shared/data/oer] [--modules 20] [--threads N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(REPO))
    from adapt.settings import Settings, apply_offline_environment

    apply_offline_environment()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "oer")
    parser.add_argument("--modules", type=int, default=20, help="modules to time (spread over the books)")
    parser.add_argument("--threads", type=int, metavar="N",
                        help="PyTorch threads (default: PyTorch's own). With 1, CPU seconds are the module's work "
                             "without the spinning of idle threads, which a loaded machine inflates")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no OpenStax data at {args.data}; pass --data", file=sys.stderr)
        return 1
    from adapt.tagging.tagger import Tagger
    from evaluation.openstax import read_book
    from models.embedders import get_embedder

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    books = sorted(p for p in args.data.iterdir() if (p / "modules").is_dir())
    per_book = max(1, args.modules // max(len(books), 1))
    modules = [m for b in books for m in read_book(b)[1 : 1 + per_book]][: args.modules]  # skip the intros
    t0 = time.perf_counter()
    tagger = Tagger(get_embedder("e5"), cache_dir=Settings.from_env().cache_dir / "tagging")
    tagger.tag_texts(["Warming up: the label vectors are computed or read from the cache."], title="warm-up")
    warm_s = time.perf_counter() - t0
    times, cpu, words = [], [], []
    for module in modules:
        tagger.embedder._cache.clear()  # each module embeds its own text, as a new upload would
        start, start_cpu = time.perf_counter(), time.process_time()
        tagger.tag_texts(module.texts(), title=module.title, language="en")
        times.append(time.perf_counter() - start)
        # CPU seconds (all threads of this process): what the module costs, whatever else loads the machine.
        cpu.append(time.process_time() - start_cpu)
        words.append(sum(len(t.split()) for t in module.texts()))
    load = os.getloadavg()
    result = {
        "modules": len(times), "warm_up_seconds": round(warm_s, 1),
        "median_seconds": round(statistics.median(times), 3),
        "p90_seconds": round(sorted(times)[int(0.9 * (len(times) - 1))], 3),
        "max_seconds": round(max(times), 3), "mean_words": round(statistics.mean(words)),
        "under_2s": sum(t < 2.0 for t in times),
        "median_cpu_seconds": round(statistics.median(cpu), 3),
        "max_cpu_seconds": round(max(cpu), 3), "under_2_cpu_s": sum(c < 2.0 for c in cpu),
        "threads": _threads(), "load_average": [round(x, 2) for x in load],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"warm-up (model + label vectors): {result['warm_up_seconds']} s")
        print(f"{result['modules']} modules (mean {result['mean_words']} words): median {result['median_seconds']} s, "
              f"p90 {result['p90_seconds']} s, max {result['max_seconds']} s; {result['under_2s']} under 2 s")
        print(f"CPU time (all threads): median {result['median_cpu_seconds']} s, max {result['max_cpu_seconds']} s; "
              f"{result['under_2_cpu_s']} under 2 CPU-s; torch threads {result['threads']}")
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    return 0


def _threads() -> int | None:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
