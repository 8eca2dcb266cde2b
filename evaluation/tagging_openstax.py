"""Subject tagging accuracy on the OpenStax books in ../shared/data/oer: each module tagged alone and
with its book as context, scored against the book's ISCED-F field (oer/subject-gold.tsv: every shared
book). Per book and macro (the mean over books, so the 116 Python modules weigh as one book): top-1
detailed, narrow (first 3 digits) and top-3, alone and with the book; toss-ups flagged per book.

Run: python -m evaluation.tagging_openstax [--data ../shared/data/oer] [--chunks 3] [--books a,b] [--json]
     [--vectors DIR] [--modules N] [--without-book-title] [--without-words]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapt.tagging.subject import SubjectTagger, chunk_text, document_words
from evaluation.openstax import book_title, read_book

# The first release's gold labels (kept for callers); `gold_fields` reads every shared book's.
BOOKS = {"openstax-intro-python": "0613", "openstax-psychology-2e": "0313"}


def gold_fields(data: Path) -> dict[str, str]:
    """Book folder → ISCED-F detailed field from `subject-gold.tsv` beside the books (BOOKS without it)."""
    path = data / "subject-gold.tsv"
    if not path.is_file():
        return dict(BOOKS)
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip().isdigit() and (data / parts[0].strip()).is_dir():
            out[parts[0].strip()] = parts[2].strip()
    return out


@dataclass(frozen=True)
class BookResult:
    book: str
    gold: str
    modules: int
    alone_top1: float  # detailed field right, module alone
    alone_narrow: float  # narrow field right, module alone
    alone_top3: float  # gold among the top 3, module alone
    book_top1: float  # with the book as context
    book_narrow: float
    book_top3: float
    seconds: float
    errors: tuple[tuple[str, str, str], ...]  # (module, title, predicted) with the book as context
    toss_ups: int = 0  # modules alone whose first field was flagged a toss-up
    toss_up_wrong: int = 0  # of those, how many had the wrong first field

    def to_json(self) -> dict:
        data = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}
        data["errors"] = [list(e) for e in self.errors]
        return data


def evaluate_book(tagger: SubjectTagger, folder: Path, gold: str, *, chunks: int = 3,
                  vector_dir: Path | None = None, limit: int | None = None, with_title: bool = True,
                  use_words: bool = True) -> BookResult:
    start = time.perf_counter()
    modules = read_book(folder)[:limit]
    vectors = [_embed(tagger, chunk_text(m.texts(), title=m.title, max_chunks=chunks), vector_dir) for m in modules]
    # The book's context: every chunk of every module, which costs no extra embedding.
    book = np.vstack(vectors)
    # With the book: its chunks and its title, as `adapt tag --context BOOK` reads them.
    title = book_title(folder) if with_title else None
    title_vector = _embed(tagger, [title], vector_dir)[0] if title else None
    counts = dict.fromkeys(("a1", "an", "a3", "b1", "bn", "b3", "t", "tw"), 0)
    errors = []
    for module, vec in zip(modules, vectors):
        # The module's words break toss-ups, as `adapt tag` does for an English text.
        words = document_words(module.texts(), module.title) if use_words else None
        alone = tagger.rank(vec, top_k=3, words=words)
        with_book = tagger.rank(vec, context_vectors=book, context_title_vector=title_vector, top_k=3, words=words)
        for prefix, tags in (("a", alone), ("b", with_book)):
            counts[prefix + "1"] += tags[0].code == gold
            counts[prefix + "n"] += tags[0].narrow == gold[:3]
            counts[prefix + "3"] += gold in [t.code for t in tags]
        counts["t"] += alone[0].toss_up
        counts["tw"] += alone[0].toss_up and alone[0].code != gold
        if with_book[0].code != gold:
            errors.append((module.module_id, module.title, with_book[0].text))
    n = len(modules)
    return BookResult(folder.name, gold, n, counts["a1"] / n, counts["an"] / n, counts["a3"] / n, counts["b1"] / n,
                      counts["bn"] / n, counts["b3"] / n, time.perf_counter() - start, tuple(errors),
                      counts["t"], counts["tw"])


def _embed(tagger: SubjectTagger, chunks: list[str], vector_dir: Path | None) -> np.ndarray:
    """The chunks' vectors, kept in `vector_dir` (keyed by the texts and the model) when given: the tagger's
    settings can then be re-scored on every book without embedding again (two cores, ~700 chunks)."""
    if vector_dir is None:
        return tagger.embed(chunks)
    import hashlib

    key = hashlib.sha256(("\n".join(chunks) + "|" + str(tagger.embedder.signature())).encode()).hexdigest()[:20]
    path = vector_dir / f"{key}.npy"
    if path.is_file():
        return np.load(path)
    vectors = tagger.embed(chunks)
    vector_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def macro(results: list[BookResult]) -> dict[str, float]:
    """The mean over books of each accuracy, and the worst book's top-1 (alone and with the book)."""
    keys = ("alone_top1", "alone_narrow", "alone_top3", "book_top1", "book_narrow", "book_top3")
    out = {k: sum(getattr(r, k) for r in results) / len(results) for k in keys} if results else {}
    if results:
        out["worst_alone_top1"] = min(r.alone_top1 for r in results)
        out["worst_book_top1"] = min(r.book_top1 for r in results)
    return out


def main(argv: list[str] | None = None) -> int:
    from adapt.settings import Settings, apply_offline_environment
    from adapt.tagging.embedding import CachedEmbedder
    from models.embedders import get_embedder

    apply_offline_environment()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "oer")
    parser.add_argument("--chunks", type=int, default=3, help="chunks of ~100 words per module (sampled evenly)")
    parser.add_argument("--books", help="comma-separated book folders (default: every book in subject-gold.tsv)")
    parser.add_argument("--modules", type=int, metavar="N", help="only the first N modules of each book")
    parser.add_argument("--vectors", type=Path, metavar="DIR",
                        help="keep the modules' chunk vectors here and reuse them on the next run")
    parser.add_argument("--without-book-title", action="store_true",
                        help="the book as context is its chunks only (the rule before round 3)")
    parser.add_argument("--without-words", action="store_true",
                        help="toss-ups are not broken by the module's words (the rule before round 4)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no OpenStax data at {args.data}; pass --data", file=sys.stderr)
        return 1
    books = gold_fields(args.data)
    if args.books:
        wanted = [b.strip() for b in args.books.split(",") if b.strip()]
        unknown = [b for b in wanted if b not in books]
        if unknown:
            print(f"error: no gold field for {', '.join(unknown)}; choose from {', '.join(books)}", file=sys.stderr)
            return 1
        books = {b: books[b] for b in wanted}
    t0 = time.perf_counter()
    tagger = SubjectTagger(CachedEmbedder(get_embedder("e5")), cache_dir=Settings.from_env().cache_dir / "tagging")
    tagger.field_scores(np.zeros((0, 384)))  # label vectors and the hub correction's pool
    labels_s = time.perf_counter() - t0
    results = []
    for book, gold in books.items():
        results.append(evaluate_book(tagger, args.data / book, gold, chunks=args.chunks, vector_dir=args.vectors,
                                     limit=args.modules, with_title=not args.without_book_title,
                                     use_words=not args.without_words))
        if not args.json:
            print(f"  done {book} ({results[-1].seconds:.0f} s)", file=sys.stderr, flush=True)
    summary = macro(results)
    if args.json:
        print(json.dumps({"labels_seconds": round(labels_s, 1), "chunks": args.chunks,
                          "settings": tagger.settings(), "books": [r.to_json() for r in results],
                          "macro": {k: round(v, 4) for k, v in summary.items()}}, indent=2))
        return 0
    print(f"label vectors: {labels_s:.1f} s; e5 {tagger.embedder.signature()}; chunks per module: {args.chunks}")
    print("book                              gold  modules | alone: top1 narrow top3 | with book: top1 narrow top3 "
          "| toss-ups (wrong) | seconds")
    for r in results:
        print(f"{r.book:<33} {r.gold}  {r.modules:>7} |        {r.alone_top1:4.0%}  {r.alone_narrow:4.0%}  "
              f"{r.alone_top3:4.0%} |            {r.book_top1:4.0%}  {r.book_narrow:4.0%}  {r.book_top3:4.0%} | "
              f"{r.toss_ups:>8} ({r.toss_up_wrong}) | {r.seconds:6.1f}")
    if summary:
        print(f"{'macro (mean over books)':<33}       {len(results):>5}b |        {summary['alone_top1']:4.0%}  "
              f"{summary['alone_narrow']:4.0%}  {summary['alone_top3']:4.0%} |            {summary['book_top1']:4.0%}  "
              f"{summary['book_narrow']:4.0%}  {summary['book_top3']:4.0%} | worst book top-1: alone "
              f"{summary['worst_alone_top1']:.0%}, with book {summary['worst_book_top1']:.0%}")
    for r in results:
        for module, title, predicted in r.errors:
            print(f"    miss (with book) {r.book} {module} {title!r} -> {predicted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
