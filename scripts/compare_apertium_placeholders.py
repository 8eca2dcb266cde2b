"""Which way of passing our placeholders through Apertium keeps more of them: as plain text (`-f txt`)
or as empty tags in Apertium's HTML format (`-f html`, tags become superblanks)?

Segments with placeholders come from the OpenStax modules in ../shared/data/oer (development data),
per book; each is translated both ways and a segment counts as kept when every placeholder of the
source comes back exactly once. Both keep everything (README), so it also measures how much the
placeholders disturb the translation around them: each segment is translated once more with its
placeholders removed, and the output with placeholders (removed afterwards) is compared with it
(identical segments, and chrF against it). Prints one line per book and a total; load average included.

    .venv/bin/python scripts/compare_apertium_placeholders.py --pair en-es --per-book 150
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapt.document import PLACEHOLDER_RE  # noqa: E402
from adapt.formats import read_document  # noqa: E402
from evaluation.metrics.translation import CHRF  # noqa: E402
from evaluation.named import shared_data  # noqa: E402
from models.translators.apertium import ApertiumTranslator  # noqa: E402


def segments_with_placeholders(book: Path, limit: int) -> list[str]:
    found: list[str] = []
    for module in sorted((book / "modules").iterdir()):
        path = module / "index.cnxml"
        if not path.is_file():
            continue
        document, _ = read_document(path, max_bytes=50 * 1024 * 1024)
        for segment in document.segments:
            if segment.translatable and PLACEHOLDER_RE.search(segment.text) and segment.text not in found:
                found.append(segment.text)
                if len(found) >= limit:
                    return found
    return found


def kept(source: str, output: str) -> tuple[bool, int, int, bool]:
    """(all kept, how many kept, how many in the source, kept in the source's order)."""
    order = [m.group(0) for m in PLACEHOLDER_RE.finditer(source)]
    out_order = [m.group(0) for m in PLACEHOLDER_RE.finditer(output)]
    want, got = Counter(order), Counter(out_order)
    same = sum(min(n, got[k]) for k, n in want.items())
    return want == got, same, sum(want.values()), order == out_order


def without_placeholders(text: str) -> str:
    return " ".join(PLACEHOLDER_RE.sub(" ", text).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pair", default="en-es")
    parser.add_argument("--per-book", type=int, default=150)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    source, target = args.pair.split("-")
    root = shared_data(args.data) / "oer"
    engines = {markup: ApertiumTranslator(markup=markup) for markup in ("txt", "html")}
    totals = {m: [0, 0, 0, 0, 0] for m in engines}  # segments kept, segments, placeholders kept, all, in order
    undisturbed: dict[str, list[tuple[str, str]]] = {m: [] for m in engines}  # (output stripped, plain output)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for book in sorted(p for p in root.iterdir() if (p / "modules").is_dir()):
        texts = segments_with_placeholders(book, args.per_book)
        if not texts:
            continue
        line = [f"{book.name:36} {len(texts):4} segments"]
        plain = engines["txt"].translate([without_placeholders(t) for t in texts], source=source, target=target)
        for markup, engine in engines.items():
            outputs = engine.translate(texts, source=source, target=target)
            pairs = [(without_placeholders(o), " ".join(p.split())) for o, p in zip(outputs, plain)]
            undisturbed[markup] += pairs
            same = sum(a == b for a, b in pairs)
            rows = [kept(s, o) for s, o in zip(texts, outputs)]
            seg_ok, ph_ok, ph_all = sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows)
            t = totals[markup]
            t[0] += seg_ok
            t[1] += len(texts)
            t[2] += ph_ok
            t[3] += ph_all
            t[4] += sum(r[3] for r in rows)
            line.append(f"{markup}: {100 * seg_ok / len(texts):5.1f}% segments, {100 * ph_ok / max(ph_all, 1):5.1f}% "
                        f"placeholders kept, {100 * same / len(texts):5.1f}% as without placeholders")
        print("  ".join(line), flush=True)
    for markup, t in totals.items():
        print(f"TOTAL {markup}: {t[0]}/{t[1]} segments ({100 * t[0] / max(t[1], 1):.1f}%) with every placeholder, "
              f"{t[2]}/{t[3]} placeholders ({100 * t[2] / max(t[3], 1):.1f}%), "
              f"{t[4]} segments with them in the source's "
              "order")
    for markup, pairs in undisturbed.items():
        same = sum(a == b for a, b in pairs)
        chrf = CHRF().compute(hypotheses=[a for a, _ in pairs], references=[[b for _, b in pairs]]).value
        print(f"TOTAL {markup}: {same}/{len(pairs)} segments ({100 * same / max(len(pairs), 1):.1f}%) translated "
              f"exactly as without placeholders; chrF against that translation {chrf:.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
