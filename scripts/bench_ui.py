"""Benchmark the review UI with 1,000 segments: page load and accept-click round trip, in Chromium.

    .venv/bin/python scripts/bench_ui.py [--segments 1000] [--clicks 30]

The suggestions are written straight to the store (this measures the UI, not a model). Page load is
timed from navigation (already logged in) to the first review row on screen; an accept round trip
from the click to the first frame showing the row "accepted" (the server decides, re-reads the
resource's 1,000 suggestions, sends back one page of 25 rows, the browser renders it), timed in the
page; half the clicks are also timed through Playwright for comparison. Prints medians and 95th
percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "benchmark-password"
ROUND_TRIP_JS = """(sid) => new Promise((resolve, reject) => {
  const start = performance.now();
  document.querySelector(`[data-testid=row-${sid}] button[data-act=accept]`).click();
  const check = () => {
    if (document.querySelector(`[data-testid=row-${sid}] .badge.accepted`)) resolve(performance.now() - start);
    else if (performance.now() - start > 10000) reject(new Error('no update'));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})"""


def seed(service, segments: int) -> int:
    from adapt.formats import parse_stored
    from adapt.store import NewSuggestion

    text = "# Benchmark lesson\n\n" + "\n\n".join(
        f"Paragraph {i}: plants take in water through their roots and light through their leaves."
        for i in range(segments - 1)) + "\n"
    data = text.encode()
    rid = service.import_document(parse_stored("markdown", "bench.md", data), data, language="en",
                                  owner="bench").resource_id
    new = [NewSuggestion(rid, s.id, "translate", "pt", s.source_text, f"(pt) {s.source_text}", {"model": "bench"},
                         qa_flags=[{"code": "too-long", "message": "x"}] if s.position % 7 == 0 else [])
           for s in service.store.segments(rid)]
    service.store.add_suggestions(new)
    return rid


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()

    from adapt.settings import Settings, apply_offline_environment

    apply_offline_environment()
    from playwright.sync_api import sync_playwright

    from adapt.review import ReviewFilter
    from adapt.service import AdaptService
    from ui import render
    from ui.server import serve

    folder = Path(tempfile.mkdtemp(prefix="adapt-bench-"))
    service = AdaptService(Settings(db_path=folder / "bench.db", cache_dir=folder, data_dir=folder))
    service.people.add("bench", "editor", PASSWORD)
    rid = seed(service, args.segments)
    who = service.people.get("bench")

    # Server side alone: one review page (query + filter + render) for the 1,000-segment resource.
    server_ms = []
    for _ in range(20):
        start = time.perf_counter()
        view = service.session(who).review_page(rid, ReviewFilter(), page=1, page_size=25)
        render.table_html(view.rows, can_review=True)
        server_ms.append((time.perf_counter() - start) * 1000)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = serve(service, host="127.0.0.1", port=port, block=False, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(url)
            page.get_by_label("username").fill("bench")
            page.get_by_label("password").fill(PASSWORD)
            page.get_by_role("button", name="Login").click()
            page.wait_for_selector("#review-table tr.row", timeout=60_000)

            loads = []
            for _ in range(args.loads):
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#review-table tr.row", timeout=60_000)
                loads.append((time.perf_counter() - start) * 1000)
            rows = page.locator("#review-table tr.row").count()

            clicks, driven = [], []
            for i in range(args.clicks):
                if i and i % 25 == 0:  # a page is fully accepted: go to the next one
                    page.get_by_role("button", name="Next →").click()
                    page.wait_for_timeout(300)
                row = page.locator("#review-table tr.row").nth(i % 25)
                sid = row.get_attribute("data-id")
                if i % 2:
                    # Playwright's click (its actionability checks add ~100 ms of harness time on this machine).
                    start = time.perf_counter()
                    row.locator("button[data-act=accept]").click()
                    page.wait_for_selector(f"[data-testid=row-{sid}] .badge.accepted", timeout=10_000)
                    driven.append((time.perf_counter() - start) * 1000)
                else:
                    # In the page: from the click to the first frame with the accepted row in the DOM.
                    clicks.append(page.evaluate(ROUND_TRIP_JS, sid))
            browser.close()
    finally:
        app.close()
        service.stop_job_runner()

    total = len(service.review.suggestions(rid))
    print(f"segments loaded: {total} suggestions; {rows} rows rendered per page")
    print(f"server: one review page (query 1,000 + filter + render 25 rows): "
          f"median {statistics.median(server_ms):.1f} ms, "
          f"p95 {pct(server_ms, .95):.1f} ms")
    print(f"page load (navigation to first row, logged in): median {statistics.median(loads):.0f} ms, "
          f"p95 {pct(loads, .95):.0f} ms over {len(loads)} loads")
    print(f"accept click round trip (in the page, click to updated row): median {statistics.median(clicks):.0f} ms, "
          f"p95 {pct(clicks, .95):.0f} ms, max {max(clicks):.0f} ms over {len(clicks)} clicks (target < 300 ms)")
    print(f"same through Playwright's click (adds its actionability checks): "
          f"median {statistics.median(driven):.0f} ms, "
          f"p95 {pct(driven, .95):.0f} ms over {len(driven)} clicks")


if __name__ == "__main__":
    main()
