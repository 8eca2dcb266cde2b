"""Subject tagging accuracy on the OpenStax books in ../shared/data/oer: each module tagged alone and
with its book as context, scored against the book's ISCED-F field.

Run: python -m evaluation.tagging_openstax [--data ../shared/data/oer] [--chunks 3]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapt.tagging.subject import SubjectTagger, chunk_text
from evaluation.openstax import read_book

# The gold labels: the detailed field, whose narrow field is its first 3 digits.
BOOKS = {"openstax-intro-python": "0613", "openstax-psychology-2e": "0313"}


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

    def to_json(self) -> dict:
        data = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}
        data["errors"] = [list(e) for e in self.errors]
        return data


def evaluate_book(tagger: SubjectTagger, folder: Path, gold: str, *, chunks: int = 3) -> BookResult:
    start = time.perf_counter()
    modules = read_book(folder)
    vectors = [tagger.embed(chunk_text(m.texts(), title=m.title, max_chunks=chunks)) for m in modules]
    # The book's context: every chunk of every module, which costs no extra embedding.
    book = np.vstack(vectors)
    counts = dict.fromkeys(("a1", "an", "a3", "b1", "bn", "b3"), 0)
    errors = []
    for module, vec in zip(modules, vectors):
        alone = tagger.rank(vec, top_k=3)
        with_book = tagger.rank(vec, context_vectors=book, top_k=3)
        for prefix, tags in (("a", alone), ("b", with_book)):
            counts[prefix + "1"] += tags[0].code == gold
            counts[prefix + "n"] += tags[0].narrow == gold[:3]
            counts[prefix + "3"] += gold in [t.code for t in tags]
        if with_book[0].code != gold:
            errors.append((module.module_id, module.title, with_book[0].text))
    n = len(modules)
    return BookResult(folder.name, gold, n, counts["a1"] / n, counts["an"] / n, counts["a3"] / n, counts["b1"] / n,
                      counts["bn"] / n, counts["b3"] / n, time.perf_counter() - start, tuple(errors))


def main(argv: list[str] | None = None) -> None:
    from adapt.settings import apply_offline_environment
    from adapt.tagging.embedding import CachedEmbedder
    from models.embedders import get_embedder

    apply_offline_environment()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "oer")
    parser.add_argument("--chunks", type=int, default=3, help="chunks of ~100 words per module (sampled evenly)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    tagger = SubjectTagger(CachedEmbedder(get_embedder("e5")))
    tagger.field_scores(np.zeros((0, 384)))  # label vectors
    labels_s = time.perf_counter() - t0
    results = [evaluate_book(tagger, args.data / book, gold, chunks=args.chunks) for book, gold in BOOKS.items()]
    if args.json:
        print(json.dumps({"labels_seconds": round(labels_s, 1), "books": [r.to_json() for r in results]}, indent=2))
        return
    print(f"label vectors: {labels_s:.1f} s; e5 {tagger.embedder.signature()}; chunks per module: {args.chunks}")
    print("book                     gold  modules | alone: top1 narrow top3 | with book: top1 narrow top3 | seconds")
    for r in results:
        print(f"{r.book:<24} {r.gold}  {r.modules:>7} |        {r.alone_top1:4.0%}  {r.alone_narrow:4.0%}  "
              f"{r.alone_top3:4.0%} |            {r.book_top1:4.0%}  {r.book_narrow:4.0%}  {r.book_top3:4.0%} | "
              f"{r.seconds:6.1f}")
        for module, title, predicted in r.errors:
            print(f"    miss {module} {title!r} -> {predicted}")


if __name__ == "__main__":
    main()
