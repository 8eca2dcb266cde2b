"""Bitext retrieval: does English sentence i of NTREX-128 retrieve Portuguese (pt-BR) sentence i among
all 1,997 of them, and back? Prints top-1 accuracy per embedder; the better one is the catalogue default.

    python scripts/eval_embedders.py [--embedders e5,minilm] [--limit N] [--cache .cache/embeddings.db]

Vectors go through the catalogue's embedding cache (a SQLite file), so a rerun, and the related-resources
benchmark, embed nothing twice. Two modes: "passage" embeds both sides as passages (how catalogue items
are stored and compared, document to document); "query" embeds the searching side as a query (how a
segment would search with e5's asymmetric prefixes). For MiniLM the two are the same model call.
The "query" mode is measured on the first --query-limit sentences, with the passage mode on the same
sentences beside it: it lost (pt→en 75% against 91%), so the catalogue searches with passages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapt.settings import apply_offline_environment  # noqa: E402

NTREX = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mt" / "ntrex-128"


def load_side(folder: Path, name: str) -> list[str]:
    # The files are CRLF: strip \r (and only line endings: inner spaces are part of the text).
    return [line.rstrip("\r\n").rstrip("\r") for line in (folder / name).read_text(encoding="utf-8").split("\n")
            if line.strip()]


def top1(queries: np.ndarray, targets: np.ndarray, target_texts: list[str]) -> float:
    """Share of queries whose nearest target is the aligned one (or a target with the same text)."""
    best = np.argmax(queries @ targets.T, axis=1)
    return float(np.mean([target_texts[b] == target_texts[i] for i, b in enumerate(best)]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=NTREX)
    parser.add_argument("--embedders", default="e5,minilm")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs (0: all)")
    parser.add_argument("--cache", type=Path, default=Path(".cache/embeddings.db"))
    parser.add_argument("--query-limit", type=int, default=300,
                        help="e5 query mode: the first N sentences search all targets (0: skip)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    apply_offline_environment()

    from adapt.catalogue.embedding_cache import EmbeddingCache
    from adapt.store import Store
    from models.embedders import get_embedder

    en = load_side(args.data, "newstest2019-src.eng.txt")
    pt = load_side(args.data, "newstest2019-ref.por-BR.txt")
    assert len(en) == len(pt), "NTREX sides must be line-aligned"
    if args.limit:
        en, pt = en[: args.limit], pt[: args.limit]
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    store = Store(args.cache)
    results = []
    for name in [n.strip() for n in args.embedders.split(",") if n.strip()]:
        embedder = get_embedder(name)
        cache = EmbeddingCache(store, embedder)
        started = time.perf_counter()
        en_p, pt_p = cache.embed(en), cache.embed(pt)
        embed_s = time.perf_counter() - started
        row = {"embedder": name, "signature": str(embedder.signature()), "pairs": len(en),
               "passage": {"en->pt": top1(en_p, pt_p, pt), "pt->en": top1(pt_p, en_p, en)},
               "embedded": cache.stats.embedded, "embed_seconds": round(embed_s, 1)}
        if name == "e5" and args.query_limit:  # queries are prefixed differently: how a segment searches
            queries = EmbeddingCache(store, embedder, kind="query")
            n = min(args.query_limit, len(en))
            en_q, pt_q = queries.embed(en[:n]), queries.embed(pt[:n])
            row["query"] = {"en->pt": top1(en_q, pt_p, pt), "pt->en": top1(pt_q, en_p, en), "queries": n}
            row["passage_same_queries"] = {"en->pt": top1(en_p[:n], pt_p, pt), "pt->en": top1(pt_p[:n], en_p, en),
                                           "queries": n}
        results.append(row)
        if not args.json:
            modes = "; ".join(
                f"{mode}{' (first ' + str(row[mode]['queries']) + ' search)' if 'queries' in row[mode] else ''}: "
                f"en→pt {row[mode]['en->pt']:.1%} pt→en {row[mode]['pt->en']:.1%}"
                for mode in ("passage", "query", "passage_same_queries") if mode in row)
            print(f"{name:8} top-1 on {len(en)} NTREX pairs: {modes}   [{row['signature']}]")
    best = max(results, key=lambda r: r["passage"]["en->pt"] + r["passage"]["pt->en"])
    if args.json:
        print(json.dumps({"results": results, "best": best["embedder"]}, ensure_ascii=False))
    else:
        print(f"best for cross-lingual retrieval: {best['embedder']}")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
