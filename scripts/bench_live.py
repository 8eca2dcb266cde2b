"""Benchmark what live review costs the server: the stamp each open page polls every 2 s, against a
full redraw of the review page, for a resource with 1,000 suggestions (issue 14, live state).

    .venv/bin/python scripts/bench_live.py [--segments 1000] [--repeat 200]

The suggestions are written straight to the store (this measures the poll, not a model); a tenth of
them carry a decision. Prints medians and 95th percentiles in milliseconds of the database side (the
HTTP round trip through Gradio is not included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(name: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"{name:<34} median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    from adapt.formats import parse_stored
    from adapt.review import ReviewFilter
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from adapt.store import NewSuggestion

    root = Path(tempfile.mkdtemp(prefix="bench-live-"))
    service = AdaptService(Settings(db_path=root / "adapt.db", cache_dir=root / "cache", data_dir=root / "data",
                                    user="bench"))
    service.people.add("ed", "editor", "benchmark-password")
    body = "\n\n".join(f"Paragraph {i} says something about water." for i in range(args.segments)).encode()
    rid = service.import_document(parse_stored("markdown", "bench.md", body), body, language="en",
                                  owner="ed").resource_id
    segs = [s for s in service.store.segments(rid) if s.translatable]
    ids = service.store.add_suggestions([NewSuggestion(rid, s.id, "translate", "pt", s.source_text,
                                                       f"Parágrafo {i} sobre a água.", {"engine": "bench"})
                                         for i, s in enumerate(segs)])
    for sid in ids[::10]:
        service.store.accept(int(sid or 0), actor="ed")
    session = service.session(service.people.get("ed"))
    stamp = _timed(lambda: session.review_stamp(rid), args.repeat)
    page = _timed(lambda: session.review_page(rid, ReviewFilter(), page=1, page_size=25), max(20, args.repeat // 10))
    search = _timed(lambda: session.review_page(rid, ReviewFilter(search="agua 99"), page=1, page_size=25),
                    max(20, args.repeat // 10))
    print(f"{len(segs)} suggestions, {len(ids[::10])} decided")
    print(_line("poll: review stamp", stamp))
    print(_line("redraw: review page (25 rows)", page))
    print(_line("search: review page 'agua 99'", search))
    print(f"the stamp query alone: ~{1000 / statistics.median(stamp):.0f} per second on one core "
          "(a poll's HTTP round trip through Gradio is not included)")
    service.close()


if __name__ == "__main__":
    main()
