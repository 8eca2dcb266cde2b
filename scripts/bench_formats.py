"""Import + segmentation throughput of the format handlers, in words per second.

    python scripts/bench_formats.py                 # the whole intro-Python book (module by module, then as a book)
    python scripts/bench_formats.py PATH [--repeat N] [--json]

Times `read_document` (hardened XML check, parse, segmentation, placeholders, metadata): what an
import costs before any model runs. Words are those of translatable segments (Document.word_count).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapt.formats import read_document  # noqa: E402

DEFAULT = REPO.parent / "shared" / "data" / "oer" / "openstax-intro-python"
LIMIT = 500 * 1024 * 1024


def bench(paths: list[Path], repeat: int) -> dict:
    times, words, segments, size = [], 0, 0, 0
    for _ in range(repeat):
        start = time.perf_counter()
        w = s = b = 0
        for path in paths:
            doc, data = read_document(path, max_bytes=LIMIT)
            w += doc.word_count()
            s += len(doc.translatable_segments())
            b += len(data)
        times.append(time.perf_counter() - start)
        words, segments, size = w, s, b
    best = min(times)
    return {"files": len(paths), "bytes": size, "segments": segments, "words": words,
            "seconds_best": round(best, 3), "seconds_median": round(statistics.median(times), 3),
            "words_per_second": round(words / best), "repeat": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT, help="a book folder (default: intro Python)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {"machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}"}
    modules = sorted(args.path.glob("modules/*/index.cnxml"))
    if modules:
        results["modules"] = bench(modules, args.repeat)
    results["book"] = bench([args.path], args.repeat)
    if args.json:
        print(json.dumps(results))
        return
    print(f"import + segmentation on {args.path.name} ({results['machine']})")
    for name in ("modules", "book"):
        if name in results:
            r = results[name]
            print(f"  {name:8} {r['files']:4} file(s) {r['bytes'] / 1e6:6.2f} MB {r['segments']:6} segments "
                  f"{r['words']:7} words  {r['seconds_best']:.2f} s  {r['words_per_second']:,} words/s")


if __name__ == "__main__":
    main()
